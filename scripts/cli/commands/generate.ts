/**
 * `longrun generate --spec api.yaml --out src/generated`: everything typed that a spec gives, in one
 * folder of the user's project — the bundled spec, openapi-typescript types (`paths`, `components`),
 * the `AsyncKinds` map and `asyncOperations` list of its long-running operations, the hey-api SDK
 * (`sdk/`), an `index.ts` exporting them, and the server stubs `server.gen.ts` (`Handlers`, `Kinds`,
 * the spec-bound `defineKind` and `spec` for `createServer({ spec, handlers, kinds })`). `--check` fails when the folder is out of date instead.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { folderLayout, runGenerate, toPosix } from '../../generate/pipeline.ts';
import type { Command } from '../command.ts';

const usage = `Usage: longrun generate --spec <api.yaml> --out <folder> [--check]

Writes into <folder> (replacing it): openapi.gen.json, schema.gen.ts, async-operations.gen.ts,
index.ts, sdk/ (the client side) and server.gen.ts (the server stubs: Handlers, Kinds, defineKind, spec). --check compares instead and exits 1 when the folder is out of date.
`;

/** `longrun generate`. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate types, the AsyncKinds map and the SDK of a spec into a folder',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        spec: { type: 'string', default: 'openapi.yaml' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(usage);
      return 0;
    }
    if (values.out === undefined) {
      process.stderr.write(`longrun generate: say where with --out <folder>.\n\n${usage}`);
      return 2;
    }
    return runGenerate({
      spec: path.resolve(values.spec),
      out: path.resolve(values.out),
      layout: folderLayout,
      check: values.check,
      specLabel: toPosix(path.basename(values.spec)),
      command: `longrun generate --spec ${toPosix(values.spec)} --out ${toPosix(values.out)}`,
    });
  },
};
