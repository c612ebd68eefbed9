import path from 'node:path';
import { createClient } from '@hey-api/openapi-ts';
import { repoRoot } from '../repo-root.ts';

/**
 * Generates the hey-api SDK (fetch client, types, one function per operation) into `outputDir`.
 * Imports carry a `.ts` extension so the output compiles under NodeNext with `allowImportingTsExtensions`
 * and runs under Node's type stripping.
 * @param bundlePath the bundled spec (JSON) to read
 * @see https://heyapi.dev/openapi-ts/configuration/output
 */
export async function generateSdk(bundlePath: string, outputDir: string, notice: string): Promise<void> {
  const contexts = await createClient({
    input: bundlePath,
    output: {
      path: outputDir,
      clean: true,
      entryFile: true,
      header: [`// ${notice}`],
      module: { extension: '.ts' },
      tsConfigPath: path.join(repoRoot, 'client', 'tsconfig.json'),
    },
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
    // Silent keeps `pnpm generate` output to one line per file; failures still throw. hey-api returns no
    // context (instead of throwing) when it cannot read its input, hence the check below.
    logs: { level: 'silent', file: false },
  });
  if (contexts.length === 0) throw new Error(`@hey-api/openapi-ts generated nothing from ${bundlePath}`);
}
