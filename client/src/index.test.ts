import { describe, expect, test } from 'vitest';
import * as sdk from './generated/sdk/sdk.gen.ts';
import * as entry from './index.ts';

describe('the package entry', () => {
  test('exports exactly the public API', () => {
    const sdkFunctions = Object.keys(sdk).filter(
      (name) => typeof (sdk as Record<string, unknown>)[name] === 'function',
    );
    expect(Object.keys(entry).sort()).toEqual(
      [
        'ApiError',
        'LongrunError',
        'OperationCancelledError',
        'OperationFailedError',
        'WaitTimeoutError',
        'WebhookVerificationError',
        'cancel',
        'createClient',
        'verifyCallback',
        'verifyWebhook',
        'waitFor',
        ...sdkFunctions,
      ].sort(),
    );
  });

  test('exports every generated SDK function (add a new operation to index.ts)', () => {
    for (const name of Object.keys(sdk)) {
      expect(entry, `index.ts should export ${name}`).toHaveProperty(name);
    }
  });
});
