/**
 * The docs, walked as written: every `sh`/`console` block of README.md, client/README.md and
 * docs/*.md runs, in order, in one bash session per page, from the repository root, against the
 * server started as `pnpm start` starts it (a real process, on a free port, with its own data
 * directory). A `console` block's output must have the shape the page shows: the status line,
 * each header shown, each JSON field shown. So the docs cannot drift from what the code does.
 *
 * What the pages say that a fresh run cannot, and what the walk puts instead:
 * - `http://127.0.0.1:3000` and `http://localhost:3000`: the server's real address;
 * - `.data/development-api-key`: the key file in the server's data directory;
 * - ids shown (`op_01m8…`): the ids the real answers carried in the same place;
 * - the reference kinds' simulated work runs at half the time (`LONGRUN_SIMULATION_SCALE=0.5`): every
 *   state a page shows is still seen (a block marked `eventually` is retried every 250 ms), and the
 *   walk waits half as long for each car.
 * Blocks flagged `illustrative` are not run and are listed; see `doc-blocks.ts` for the flags.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compareShape,
  consoleSteps,
  docIds,
  type FencedBlock,
  fencedBlocks,
  KNOWN_FLAGS,
  SHELL_LANGUAGES,
} from './doc-blocks.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pages = [
  'README.md',
  'client/README.md',
  ...(await readdir(path.join(repoRoot, 'docs')))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
const blocksByPage = new Map<string, FencedBlock[]>();
for (const page of pages) {
  blocksByPage.set(page, fencedBlocks(page, await readFile(path.join(repoRoot, page), 'utf8')));
}

let server: ChildProcess | undefined;
let serverUrl = '';
let dataDir = '';
let printed = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-docs-'));
  server = spawn(process.execPath, ['server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...cleanEnv(), PORT: '0', LONGRUN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LONGRUN_SIMULATION_SCALE: '0.5' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  serverUrl = await new Promise<string>((resolve, reject) => {
    server?.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /longrun is serving (http:\/\/\S+)/.exec(printed);
      if (match && printed.includes('curl -H')) resolve(match[1] as string);
    });
    server?.once('exit', (code) => reject(new Error(`the server exited (${code}) before serving:\n${printed}`)));
  });
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('pnpm start prints the development key it made, as the export the docs use', async () => {
  const key = (await readFile(path.join(dataDir, 'development-api-key'), 'utf8')).trim();
  expect(printed).toContain('made a development key');
  expect(printed).toContain(`export LONGRUN_API_KEY=${key}`);
});

test('every fenced block names a known flag, and a block that is a file is that file', async () => {
  for (const blocks of blocksByPage.values()) {
    for (const block of blocks) {
      for (const flag of block.flags) {
        expect(flag, `${block.file}:${block.line} has an unknown flag`).toMatch(KNOWN_FLAGS);
      }
      const file = block.flags.find((flag) => flag.startsWith('file='))?.slice('file='.length);
      if (file) {
        const content = await readFile(path.join(repoRoot, file), 'utf8');
        expect(block.body, `${block.file}:${block.line} shows ${file} as it is`).toBe(content);
      }
    }
  }
  const notRun = [...blocksByPage.values()]
    .flat()
    .filter((block) => SHELL_LANGUAGES.has(block.language) && block.flags.includes('illustrative'));
  console.info(
    `Not run (illustrative):\n${notRun.map((b) => `  ${b.file}:${b.line}  ${b.body.split('\n')[0]}`).join('\n')}`,
  );
});

for (const page of pages) {
  const runnable = (blocksByPage.get(page) ?? []).filter(
    (block) => SHELL_LANGUAGES.has(block.language) && !block.flags.includes('illustrative'),
  );
  if (runnable.length === 0) continue;
  describe(page, () => {
    let stateDir = '';
    const ids = new Map<string, string>();
    beforeAll(async () => {
      stateDir = await mkdtemp(path.join(tmpdir(), 'longrun-docs-shell-'));
    });
    afterAll(async () => {
      await rm(stateDir, { recursive: true, force: true });
    });

    /** The command as run here: the real address, key file and ids in place of the page's. */
    const localise = (command: string) => {
      let text = command
        .replaceAll('http://127.0.0.1:3000', serverUrl)
        .replaceAll('http://localhost:3000', serverUrl)
        .replaceAll('.data/development-api-key', path.join(dataDir, 'development-api-key'));
      for (const id of docIds(text)) {
        const real = ids.get(id);
        if (real === undefined) throw new Error(`${page} uses ${id} before any answer shown on the page carries it`);
        text = text.replaceAll(id, real);
      }
      return text;
    };
    const run = (script: string) => runInSession(path.join(stateDir, 'session.sh'), localise(script));

    for (const block of runnable) {
      test(`${page}:${block.line} ${block.body.split('\n')[0]}`, { timeout: 120_000 }, async () => {
        if (block.language !== 'console') {
          const result = await run(block.body);
          expect(result.code, `exit code of:\n${block.body}\n${result.output}`).toBe(0);
          return;
        }
        for (const [index, step] of consoleSteps(block.body).entries()) {
          const retry = index === 0 && block.flags.includes('eventually');
          const deadline = Date.now() + 60_000;
          for (;;) {
            const result = await run(step.command);
            const shape = compareShape(step.expected, result.output);
            if (result.code === 0 && shape.mismatches.length === 0) {
              for (const [shown, real] of shape.learnedIds) ids.set(shown, real);
              break;
            }
            if (!retry || Date.now() > deadline) {
              expect.fail(
                `$ ${step.command}\nexit code ${result.code}; ${shape.mismatches.join('; ')}\n--- printed:\n${result.output}`,
              );
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
      });
    }
  });
}

/** The environment without the caller's longrun settings, so only what the page exports counts. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(LONGRUN_|DATABASE_URL$|PORT$|HOST$)/.test(name)) delete env[name];
  }
  return env;
}

/**
 * Runs `script` in bash from the repository root, after the variables earlier blocks of the page
 * exported, and keeps what it exports for the next ones (as one terminal session would).
 */
async function runInSession(stateFile: string, script: string): Promise<{ code: number; output: string }> {
  const wrapped = [
    `[ -f '${stateFile}' ] && source '${stateFile}' 2>/dev/null`,
    `trap 'export -p > "${stateFile}"' EXIT`,
    'set -e -o pipefail',
    script,
  ].join('\n');
  const child = spawn('bash', ['-c', wrapped], { cwd: repoRoot, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code: code ?? 1, output: code === 0 ? output : `${output}\n--- stderr:\n${errors}` };
}
