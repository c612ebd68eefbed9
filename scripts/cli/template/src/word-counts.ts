import { createServer } from '@longrun/server';
import { defineKind, type Handlers, type Kinds, spec } from './generated/server.gen.ts';

/** `words.count`: runs after `POST /word-counts` was accepted; its outcome is the monitor's `result`. */
export const countWords = defineKind('words.count', {
  estimateMs: () => 100,
  async run(input) {
    return { result: { words: input.text.split(/\s+/).filter((word) => word !== '').length } };
  },
});

/** Every kind of api.yaml, by name. */
const kinds: Kinds = { 'words.count': countWords };
/** api.yaml's synchronous operations (none: the monitor is served by longrun). */
const handlers: Handlers = {};

/** The API on its embedded store in `dataDir`; `apiKeys` as `tenant:key` pairs; `logger: false` keeps it quiet. */
export function startWordCounts(options: {
  dataDir: string;
  apiKeys?: string;
  logger?: false;
  /** `'log'` (served): a sample of responses is checked, one that breaks the spec is logged; default (tests): every one, 500 if it breaks it. */
  validateResponses?: 'log';
}) {
  const { dataDir, apiKeys = 'development:dev', logger, validateResponses } = options;
  return createServer({
    spec,
    handlers,
    kinds,
    dataDir,
    apiKeys,
    ...(logger === false ? { logger } : {}),
    ...(validateResponses === undefined ? {} : { validateResponses }),
  });
}
