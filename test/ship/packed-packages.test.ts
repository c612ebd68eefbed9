/**
 * The packages as a team outside this repository gets them: `pnpm build`, `pnpm pack`, installed with
 * npm, pnpm and yarn into a folder in the system temp directory, and run on the machine's own Node
 * (Node 20 on a fresh machine), not the repository's pinned toolchain.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, waitFor } from '@longrun/client';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { deployedServerEntry, deployServer } from '../../scripts/deploy-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { REPO_ROOT, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import {
  buildAndPack,
  findSystemNode,
  installFrom,
  isOutsideAnyWorkspace,
  keepCompiledSqliteDriver,
  lanes,
  newProject,
  packageNames,
  registryCacheEnv,
  registryNode,
  run,
  runOrThrow,
  type SystemNode,
  sqlitePrebuildEnv,
} from './packages.ts';

const apiKey = 'packed-key-0123456789abcdef';
const car = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

/** A user's script: order a car with the SDK and print what `waitFor` resolved to. */
const userScript = `
import { createClient, waitFor } from '@longrun/client';
const longrun = createClient({ baseUrl: process.env.API_URL, apiKey: process.env.API_KEY });
const accepted = await longrun.POST('/cars', { body: ${JSON.stringify(car)} });
const seen = [];
const built = await waitFor(longrun, accepted, { timeoutMs: 30000, onProgress: (monitor) => seen.push(monitor.state) });
console.log(JSON.stringify({ car: built, seen, node: process.versions.node }));
`;

let system: SystemNode;
let packsDir: string;
let tarballs: Awaited<ReturnType<typeof buildAndPack>>;
let database: TestDatabase;
const projects: string[] = [];
const servers: ServerProcess[] = [];
/** Two at a time: see {@link prepareProjects}. */
const installs = lanes(2);
let prepared: ReturnType<typeof prepareProjects>;

beforeAll(async () => {
  system = findSystemNode();
  packsDir = await mkdtemp(path.join(tmpdir(), 'longrun-packs-'));
  [tarballs, database] = await Promise.all([buildAndPack(packsDir), createTestDatabase()]);
  prepared = prepareProjects();
}, 300_000);

afterAll(async () => {
  // An install still running (after a failure) writes into a folder about to be removed.
  await installs.settled();
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
  for (const dir of [packsDir, ...projects]) if (dir) await rm(dir, { recursive: true, force: true });
}, 300_000);

/**
 * Every user project of this file, installed from the tarballs as soon as they exist, in two lanes, each
 * in the order its tests need them: the npm project first (its tests come first), then the project
 * `longrun init` makes (its README's install), then pnpm's; beside them Node 22's, the container's and
 * yarn's. Each describe (or test) awaits its own project, so an install's failure is reported there, as
 * it was when the install ran in that describe's hook or test.
 */
function prepareProjects() {
  const npm = installs.run(0, async () => {
    const { create, ...packages } = tarballs;
    const project = await newProject(packages, { 'create-longrun': `file:${create}` });
    projects.push(project);
    await runOrThrow(system.npm, ['install', '--no-audit', '--no-fund'], {
      cwd: project,
      env: { PATH: system.path, ...sqlitePrebuildEnv() },
    });
    await keepCompiledSqliteDriver(project, system.node);
    return project;
  });
  const scaffold = installs.run(0, async () => {
    // `longrun init` from the npm project, in a folder of its own: the init test makes (and checks) its own.
    const parent = await mkdtemp(path.join(tmpdir(), 'longrun-scaffold-'));
    projects.push(parent);
    const longrun = path.join(await npm, 'node_modules', '.bin', 'longrun');
    await runOrThrow(longrun, ['init', 'my-api'], { cwd: parent, env: { PATH: system.path } });
    const project = path.join(parent, 'my-api');
    // Before the packages are on the registry, the project installs them from the tarballs, as newProject does.
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
    const { create: _create, ...packages } = tarballs;
    const fromTarballs = installFrom(packages) as { dependencies: Record<string, string> };
    const devDependencies = { ...(manifest.devDependencies as Record<string, string>) };
    for (const name of Object.keys(fromTarballs.dependencies)) delete devDependencies[name];
    Object.assign(manifest, fromTarballs, {
      dependencies: { ...(manifest.dependencies as Record<string, string>), ...fromTarballs.dependencies },
      devDependencies,
    });
    await writeFile(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // The README's first command is `<install> && <start>`: the install runs here, the start in its test.
    const [installAndStart] = readmeCommands(await readFile(path.join(project, 'README.md'), 'utf8'));
    const [install] = (installAndStart ?? '').split(' && ');
    await runOrThrow('sh', ['-c', install ?? 'false'], { cwd: project, env: scaffoldEnv() });
    return project;
  });
  const node22 = installs.run(1, async () => {
    const node = await registryNode(22, system.npm, system.path);
    // A team on Node 22 installs with it: npm takes the SQLite driver whose engines match that Node.
    const { create: _create, server, client, openapi } = tarballs;
    const project = await newProject({ server, client, openapi });
    projects.push(project);
    const node22Path = [path.dirname(node), system.path].join(path.delimiter);
    await runOrThrow(node, [realpathSync(system.npm), 'install', '--no-audit', '--no-fund'], {
      cwd: project,
      env: { PATH: node22Path, ...registryCacheEnv() },
    });
    return { node, project };
  });
  const deployed = installs.run(1, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'longrun-deployed-'));
    projects.push(dir);
    // The build stage's last step, run here as the image build runs it: on the image's Node (24, as the
    // repository's), so npm installs the SQLite driver built for the Node the container runs.
    await deployServer(dir, system.npm, {
      PATH: [path.dirname(process.execPath), system.path].join(path.delimiter),
      ...registryCacheEnv(),
    });
    return dir;
  });
  const byManager = (manager: 'pnpm' | 'yarn', lane: number, args: readonly string[]) =>
    installs.run(lane, async () => {
      const project = await newProject({ client: tarballs.client });
      projects.push(project);
      const command =
        manager === 'pnpm'
          ? { bin: 'pnpm', args: [...args] }
          : { bin: system.npm, args: ['exec', '--yes', '--', 'yarn@1.22.22', ...args] };
      await runOrThrow(command.bin, command.args, { cwd: project, env: { PATH: system.path, ...registryCacheEnv() } });
      return project;
    });
  const pnpm = byManager('pnpm', 0, managerInstalls.pnpm);
  const yarn = byManager('yarn', 1, managerInstalls.yarn);
  return { npm, scaffold, node22, deployed, managers: { pnpm, yarn } };
}

/** The environment the scaffolded project's README commands run in. */
function scaffoldEnv(): Record<string, string> {
  return { PATH: system.path, PORT: '0', ...sqlitePrebuildEnv() };
}

/** How each other package manager installs a project. */
const managerInstalls = {
  pnpm: ['install', '--config.confirmModulesPurge=false'],
  yarn: ['install', '--non-interactive', '--no-lockfile'],
} as const;

describe('installed with npm from the packed tarballs, outside the repository', () => {
  let project: string;
  let api: ServerProcess;
  let page: { server: Server; origin: string };

  beforeAll(async () => {
    project = await prepared.npm;
    page = await servePage(path.join(project, 'node_modules', '@longrun', 'client', 'dist', 'browser', 'longrun.js'));
  }, 300_000);

  afterAll(() => new Promise((resolve) => page?.server.close(resolve)));

  test('the project has no workspace above it, and each package ships built JavaScript, not TypeScript', async () => {
    expect(isOutsideAnyWorkspace(project)).toBe(true);
    for (const name of Object.values(packageNames)) {
      const manifest = JSON.parse(await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8')) as {
        exports: Record<string, unknown>;
        dependencies?: Record<string, string>;
      };
      expect(JSON.stringify(manifest.exports)).not.toMatch(/(?<!\.d)\.ts"/);
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
      // What a registry page and a licence check read.
      expect(existsSync(path.join(project, 'node_modules', name, 'LICENSE'))).toBe(true);
      expect(existsSync(path.join(project, 'node_modules', name, 'README.md'))).toBe(true);
    }
  });

  test(`the server runs on the system Node as built JavaScript`, async () => {
    api = await startServerProcess(
      'packed-api',
      {
        PATH: system.path,
        DATABASE_URL: database.url,
        LONGRUN_API_KEYS: `acme:${apiKey}`,
        LONGRUN_SIMULATION_SCALE: '0.01',
        LONGRUN_CORS_ORIGINS: page.origin,
      },
      {
        node: system.node,
        entry: path.join(project, 'node_modules', '@longrun', 'server', 'dist', 'src', 'main.js'),
        cwd: project,
      },
    );
    servers.push(api);
    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    // The API reference's script comes from the package's own copy: no Scalar package is installed.
    const reference = await fetch(`${api.url}/docs/scalar.js`);
    expect(reference.status).toBe(200);
    expect(reference.headers.get('content-type')).toMatch(/javascript/);
    expect((await reference.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect(existsSync(path.join(project, 'node_modules', '@scalar'))).toBe(false);
  }, 60_000);

  test('on its embedded SQLite store, on the system Node, it keeps an accepted operation across a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-packed-sqlite-'));
    projects.push(dataDir);
    const entry = path.join(project, 'node_modules', '@longrun', 'server', 'dist', 'src', 'main.js');
    const env = { PATH: system.path, PORT: '0', LONGRUN_DATA_DIR: dataDir, LONGRUN_API_KEYS: `acme:${apiKey}` };
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const first = await startServerProcess('packed-sqlite', env, { node: system.node, entry, cwd: project });
    servers.push(first);
    expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'sqlite' });
    const accepted = await fetch(`${first.url}/cars`, { method: 'POST', headers, body: JSON.stringify(car) });
    expect(accepted.status).toBe(202);
    const monitor = accepted.headers.get('location') ?? '';
    await first.stop();
    const second = await startServerProcess('packed-sqlite-again', env, { node: system.node, entry, cwd: project });
    servers.push(second);
    const read = await fetch(new URL(monitor, second.url), { headers });
    // 200 while the car is built, 201 (with the car at Location) once it is.
    expect([200, 201]).toContain(read.status);
    expect(await read.json()).toMatchObject({ kind: 'car.create' });
  }, 120_000);

  test('the SDK on the system Node follows POST /cars to the built car', async () => {
    await writeFile(path.join(project, 'order-a-car.mjs'), userScript);
    const result = await runOrThrow(system.node, ['order-a-car.mjs'], {
      cwd: project,
      env: { PATH: system.path, API_URL: api.url, API_KEY: apiKey },
      timeoutMs: 60_000,
    });
    const printed = JSON.parse(result.stdout) as { car: Record<string, unknown>; seen: string[]; node: string };
    expect(printed.node).toBe(system.version);
    expect(printed.car).toMatchObject({ ...car, id: expect.stringMatching(/^car_/) });
    expect(printed.seen.at(-1)).toBe('succeeded');
  }, 60_000);

  test('on Node 22 too: the server on its embedded SQLite store, and the SDK following POST /cars', async () => {
    // Installed with Node 22's npm beside the tests before this one (prepareProjects).
    const { node: node22, project: project22 } = await prepared.node22;
    await writeFile(path.join(project22, 'order-a-car.mjs'), userScript);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-packed-node22-'));
    projects.push(dataDir);
    const embedded = await startServerProcess(
      'packed-node-22',
      {
        PATH: system.path,
        PORT: '0',
        LONGRUN_DATA_DIR: dataDir,
        LONGRUN_API_KEYS: `acme:${apiKey}`,
        LONGRUN_SIMULATION_SCALE: '0.01',
      },
      {
        node: node22,
        entry: path.join(project22, 'node_modules', '@longrun', 'server', 'dist', 'src', 'main.js'),
        cwd: project22,
      },
    );
    servers.push(embedded);
    const result = await runOrThrow(node22, ['order-a-car.mjs'], {
      cwd: project22,
      env: { PATH: system.path, API_URL: embedded.url, API_KEY: apiKey },
      timeoutMs: 60_000,
    });
    const printed = JSON.parse(result.stdout) as { car: Record<string, unknown>; seen: string[]; node: string };
    expect(printed.node).toMatch(/^22\./);
    expect(printed.car).toMatchObject({ ...car, id: expect.stringMatching(/^car_/) });
    expect(printed.seen.at(-1)).toBe('succeeded');
  }, 180_000);

  test('the SDK on Deno follows POST /cars to the built car', async () => {
    const deno = path.join(REPO_ROOT, 'test', 'node_modules', '.bin', 'deno');
    const result = await runOrThrow(deno, ['run', '--allow-net', '--allow-env', '--allow-read', 'order-a-car.mjs'], {
      cwd: project,
      env: { PATH: system.path, API_URL: api.url, API_KEY: apiKey, DENO_NO_UPDATE_CHECK: '1' },
      timeoutMs: 60_000,
    });
    const printed = JSON.parse(result.stdout) as { car: Record<string, unknown>; seen: string[] };
    expect(printed.car).toMatchObject({ ...car, id: expect.stringMatching(/^car_/) });
    expect(printed.seen.at(-1)).toBe('succeeded');
  }, 60_000);

  test("in Chromium, a page on another origin runs the tarball's browser bundle to the built car", async () => {
    pageApi.url = api.url ?? '';
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox'],
    });
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (request) => requests.push(new URL(request.url()).origin));
      await tab.goto(page.origin);
      await tab.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, {
        timeout: 30_000,
      });
      const result = (await tab.evaluate(() => (window as { __result?: unknown }).__result)) as {
        car?: Record<string, unknown>;
        error?: string;
      };
      expect(result.error).toBeUndefined();
      expect(result.car).toMatchObject({ ...car, id: expect.stringMatching(/^car_/) });
      // Nothing but the page's origin and the API: the bundle brings everything it needs.
      expect(new Set(requests)).toEqual(new Set([page.origin, new URL(api.url ?? '').origin]));
    } finally {
      await browser.close();
    }
  }, 60_000);

  test('the longrun command runs from its tarball on the system Node: lint and generate a spec', async () => {
    const longrun = path.join(project, 'node_modules', '.bin', 'longrun');
    const env = { PATH: system.path };
    // A team's spec beside its node_modules, referring to the contract file where the package ships it.
    for (const [from, to] of [
      ['exports.yaml', 'exports.yaml'],
      ['lint/broken-exports.yaml', 'broken-exports.yaml'],
    ] as const) {
      const spec = await readFile(path.join(REPO_ROOT, 'test', 'your-api', from), 'utf8');
      await writeFile(path.join(project, to), spec.replace(/'(\.\.\/)+node_modules\//g, "'node_modules/"));
    }
    const good = await run(longrun, ['lint', 'exports.yaml'], { cwd: project, env });
    expect(good.stdout + good.stderr).toContain("No results with a severity of 'error'");
    expect(good.code).toBe(0);
    const broken = await run(longrun, ['lint', 'broken-exports.yaml'], { cwd: project, env });
    expect(broken.stdout).toMatch(/error\s+longrun-/);
    expect(broken.code).toBe(1);

    await runOrThrow(longrun, ['generate', '--spec', 'exports.yaml', '--out', 'src/generated'], { cwd: project, env });
    const index = await readFile(path.join(project, 'src', 'generated', 'index.ts'), 'utf8');
    expect(index).toContain('AsyncKinds');
    const kinds = await readFile(path.join(project, 'src', 'generated', 'async-operations.gen.ts'), 'utf8');
    expect(kinds).toContain("'export.create'");
    const check = await run(longrun, ['generate', '--spec', 'exports.yaml', '--out', 'src/generated', '--check'], {
      cwd: project,
      env,
    });
    expect(check.code).toBe(0);
  }, 120_000);

  test('longrun mock serves a team spec on the system Node: Prism from its examples, and the stateful mock', async () => {
    const longrun = path.join(project, 'node_modules', '.bin', 'longrun');
    const env = { PATH: system.path };
    const headers = { authorization: 'Bearer any-key', 'content-type': 'application/json' };
    const report = { report: 'sales-2026', format: 'csv' };
    for (const mode of [[], ['--stateful']]) {
      const mock = spawn(longrun, ['mock', '--spec', 'exports.yaml', '--port', '0', ...mode], {
        cwd: project,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      try {
        let output = '';
        const url = await new Promise<string>((resolve, reject) => {
          mock.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            output += chunk;
            const match = /longrun mock on (http:\/\/[^\s/]+:\d+)/.exec(output);
            if (match?.[1]) resolve(match[1]);
          });
          mock.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
          mock.once('close', (code) => reject(new Error(`longrun mock ended (${code}):\n${output}`)));
        });
        const accepted = await fetch(`${url}/exports`, { method: 'POST', headers, body: JSON.stringify(report) });
        expect(accepted.status).toBe(202);
        const monitor = (await accepted.json()) as { kind: string; state: string };
        expect(monitor).toMatchObject({ kind: 'export.create', state: 'queued' });
        const read = await fetch(new URL(accepted.headers.get('location') ?? '', url), { headers });
        expect(read.ok).toBe(true);
        // Prism answers the contract's own monitor example; the stateful mock the export it accepted.
        const readBack = (await read.json()) as { kind: string; state: string };
        expect(readBack.state).toEqual(expect.any(String));
        if (mode.length > 0) expect(readBack.kind).toBe('export.create');
      } finally {
        if (mock.pid !== undefined) process.kill(-mock.pid, 'SIGTERM');
      }
    }
  }, 120_000);

  test('longrun init and npm create longrun make a project with a spec, a kind, a test, a README and .gitignore', async () => {
    const env = { PATH: system.path };
    await runOrThrow(path.join(project, 'node_modules', '.bin', 'longrun'), ['init', 'my-api'], { cwd: project, env });
    // What `npm create longrun my-other-api` runs once npm has fetched create-longrun.
    await runOrThrow(path.join(project, 'node_modules', '.bin', 'create-longrun'), ['my-other-api'], {
      cwd: project,
      env,
    });
    const expected = [
      '.gitignore',
      'README.md',
      'api.yaml',
      'package.json',
      'src/main.ts',
      'src/word-counts.ts',
      'test/word-counts.test.ts',
      'tsconfig.json',
    ];
    for (const name of ['my-api', 'my-other-api']) {
      const files = await listProjectFiles(path.join(project, name));
      expect(files).toEqual(expected);
      const manifest = JSON.parse(await readFile(path.join(project, name, 'package.json'), 'utf8')) as {
        name: string;
        dependencies: Record<string, string>;
      };
      expect(manifest.name).toBe(name);
      expect(Object.keys(manifest.dependencies)).toEqual(
        expect.arrayContaining(['@longrun/server', '@longrun/client']),
      );
      expect(readmeCommands(await readFile(path.join(project, name, 'README.md'), 'utf8'))).toEqual([
        'npm install && npm start',
        'npm test',
      ]);
    }
    const refused = await run(path.join(project, 'node_modules', '.bin', 'longrun'), ['init', 'my-api'], {
      cwd: project,
      env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not empty');
  }, 60_000);

  test("the new project: its README's two commands start the server and pass its test", async () => {
    // Made by `longrun init` and installed by the README's install command beside the tests before this
    // one (prepareProjects), with the tarballs in place of the registry.
    const scaffold = await prepared.scaffold;
    expect(existsSync(path.join(scaffold, 'api.yaml'))).toBe(true);
    const env = scaffoldEnv();
    const [installAndStart, testCommand] = readmeCommands(await readFile(path.join(scaffold, 'README.md'), 'utf8'));
    const [, start] = (installAndStart ?? '').split(' && ');
    await runOrThrow(
      path.join(scaffold, 'node_modules', '.bin', 'longrun'),
      ['generate', '--spec', 'api.yaml', '--out', 'src/generated'],
      {
        cwd: scaffold,
        env,
      },
    );
    expect(existsSync(path.join(scaffold, 'src', 'generated', 'server.gen.ts'))).toBe(true);
    const started = spawn('sh', ['-c', start ?? 'false'], {
      cwd: scaffold,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        started.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        started.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        started.once('close', (code) => reject(new Error(`npm start ended (${code}):\n${output}`)));
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const accepted = await fetch(`${url}/word-counts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer dev' },
        body: JSON.stringify({ text: 'one two three' }),
      });
      expect(accepted.status).toBe(202);
    } finally {
      if (started.pid !== undefined) process.kill(-started.pid, 'SIGTERM');
    }
    const tested = await run('sh', ['-c', testCommand ?? 'false'], { cwd: scaffold, env, timeoutMs: 180_000 });
    expect(tested.stdout + tested.stderr).toMatch(/^(#|ℹ) pass 1\b/m);
    expect(tested.code).toBe(0);
  }, 400_000);

  test("the SDK's declarations type a user's TypeScript: the car is a Car, a wrong body fails", async () => {
    await writeFile(
      path.join(project, 'typed.ts'),
      [
        "import { createClient, waitFor } from '@longrun/client';",
        "const longrun = createClient({ baseUrl: 'http://127.0.0.1:1' });",
        `const built = await waitFor(longrun, await longrun.POST('/cars', { body: ${JSON.stringify(car)} }));`,
        'export const brand: string = built.brand;',
        '// @ts-expect-error a Car is not a number (unused, and so an error, if the types were lost to any)',
        'export const wrong: number = built;',
        "// @ts-expect-error a car's model year is a number",
        "await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 'new', color: 'Blue' } });",
        '',
      ].join('\n'),
    );
    // The workspace's TypeScript compiler: a user's project has its own, of the same major version.
    const tsc = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.resolve('typescript')))), 'bin', 'tsc');
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
    const result = await run(system.node, [tsc, '-p', '.'], { cwd: project, env: { PATH: system.path } });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});

describe.each(['pnpm', 'yarn'] as const)('installed with %s', (manager) => {
  test('the SDK installs from its tarball and runs on the system Node', async () => {
    // Installed with `manager` beside the tests before this one (prepareProjects).
    const project = await prepared.managers[manager];
    await writeFile(
      path.join(project, 'check.mjs'),
      "import { createClient, waitFor } from '@longrun/client';\nconsole.log(typeof createClient, typeof waitFor);\n",
    );
    const result = await runOrThrow(system.node, ['check.mjs'], { cwd: project, env: { PATH: system.path } });
    expect(result.stdout.trim()).toBe('function function');
  }, 240_000);
});

describe('the container image, as its Dockerfile describes it', () => {
  const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const instructions = DockerfileParser.parse(dockerfile).getInstructions();
  const stages = splitStages(instructions);
  const runStage = stages.at(-1) ?? [];
  const argsOf = (instruction: Instruction | undefined) => instruction?.getArgumentsContent() ?? '';
  let deployed: string;

  beforeAll(async () => {
    // `pnpm deploy:server`, the build stage's last step, run beside the tests before these (prepareProjects).
    deployed = await prepared.deployed;
  }, 300_000);

  test('is multi-stage: the run stage copies only the installed server out of the build stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const buildName = argsOf(stages[0]?.[0]).split(/\s+AS\s+/i)[1];
    expect(buildName).toBeTruthy();
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toContain('pnpm deploy:server /out');
    const lines = dockerfile.split('\n');
    const copies = runStage
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .map((instruction) => lines[instruction.getRange().start.line] ?? '');
    expect(copies).toEqual([expect.stringMatching(new RegExp(`^COPY --from=${buildName}\\b.*\\s/out\\s+/app$`))]);
  });

  test('runs as a non-root user, with a health check on /healthz and SIGTERM as its stop signal', () => {
    const user = runStage.findLast((instruction) => instruction.getKeyword() === 'USER');
    expect(argsOf(user)).not.toMatch(/^(root|0)(:|$)/);
    expect(argsOf(user)).not.toBe('');
    const health = runStage.find((instruction) => instruction.getKeyword() === 'HEALTHCHECK');
    expect(argsOf(health)).toContain('/healthz');
    expect(argsOf(runStage.find((instruction) => instruction.getKeyword() === 'STOPSIGNAL'))).toBe('SIGTERM');
  });

  test('its command serves from the installed folder, passes its health check, and drains on SIGTERM', async () => {
    const command = jsonArray(argsOf(runStage.find((instruction) => instruction.getKeyword() === 'CMD')));
    expect(command[0]).toBe('node');
    const entry = path.join(deployed, command[1] ?? '');
    expect(existsSync(entry)).toBe(true);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-container-data-'));
    projects.push(dataDir);
    // The image's environment, on this machine's loopback and a free port.
    const server = await startServerProcess(
      'container',
      { ...imageEnvironment(runStage), HOST: '127.0.0.1', PORT: '0', LONGRUN_DATA_DIR: dataDir },
      { entry, cwd: deployed },
    );
    servers.push(server);
    const port = new URL(server.url ?? '').port;
    const healthCheck = jsonArray(
      argsOf(runStage.find((i) => i.getKeyword() === 'HEALTHCHECK')).replace(/^.*?CMD\s+/s, ''),
    );
    const check = await run(process.execPath, healthCheck.slice(1), { cwd: deployed, env: { PORT: port } });
    expect(check.code).toBe(0);
    server.signal('SIGTERM');
    await server.exited;
    expect(server.exitCode).toBe(0);
  }, 60_000);

  test('compose.yaml: two API and two worker processes on one PostgreSQL finish every operation', async () => {
    const compose = parseYaml(readFileSync(path.join(REPO_ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: string; environment?: Record<string, string> }>;
    };
    const longrunServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
    const roles = longrunServices.map(([, service]) => service.environment?.LONGRUN_ROLE).sort();
    expect(roles).toEqual(['api', 'api', 'worker', 'worker']);
    const started = await Promise.all(
      longrunServices.map(([name, service]) =>
        startServerProcess(
          name,
          {
            ...service.environment,
            DATABASE_URL: database.url,
            LONGRUN_API_KEYS: `acme:${apiKey}`,
            LONGRUN_SIMULATION_SCALE: '0.01',
          },
          { entry: path.join(deployed, deployedServerEntry), cwd: deployed },
        ),
      ),
    );
    servers.push(...started);
    const apis = started.filter((server) => server.url !== undefined);
    expect(apis).toHaveLength(2);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const api = apis[index % apis.length] as ServerProcess;
        const longrun = createClient({ baseUrl: api.url ?? '', apiKey });
        return waitFor(longrun, await longrun.POST('/cars', { body: car }), { timeoutMs: 30_000 });
      }),
    );
    expect(outcomes.map((built) => built.brand)).toEqual(Array(12).fill(car.brand));
    for (const server of started) server.signal('SIGTERM');
    await Promise.all(started.map((server) => server.exited));
    expect(started.map((server) => server.exitCode)).toEqual([0, 0, 0, 0]);
  }, 120_000);
});

/** The API the page talks to, known once the server has started (the page is served before). */
const pageApi = { url: '' };

/** A page on its own origin that imports the browser bundle and orders a car from {@link pageApi}. */
async function servePage(bundlePath: string): Promise<{ server: Server; origin: string }> {
  const bundle = await readFile(bundlePath);
  const html =
    () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>SDK</title></head><body>
<script type="module">
  import { createClient, waitFor } from '/longrun.js';
  try {
    const longrun = createClient({ baseUrl: ${JSON.stringify(pageApi.url)}, apiKey: ${JSON.stringify(apiKey)} });
    const built = await waitFor(longrun, await longrun.POST('/cars', { body: ${JSON.stringify(car)} }), { timeoutMs: 20000 });
    window.__result = { car: built };
  } catch (error) {
    window.__result = { error: String(error && error.stack || error) };
  }
</script></body></html>`;
  const server = createHttpServer((request, response) => {
    if (request.url === '/longrun.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html());
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The shell commands of a README's `sh` blocks, one per block, in order. */
function readmeCommands(readme: string): string[] {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => (match[1] ?? '').trim());
}

/** Every file below `dir`, relative, sorted; `node_modules` left out. */
async function listProjectFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) files.push(...(await listProjectFiles(dir, relative)));
    else files.push(relative);
  }
  return files.sort();
}

/** The instructions of each `FROM` stage, in order. */
function splitStages(instructions: Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

/** A Dockerfile exec-form argument list (`["node", "x.js"]`). */
function jsonArray(text: string): string[] {
  return JSON.parse(text.replace(/\\\n/g, ' ')) as string[];
}

/** The `ENV` of a stage as variables (`KEY=value` pairs, continued lines joined). */
function imageEnvironment(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage) {
    if (instruction.getKeyword() !== 'ENV') continue;
    for (const argument of instruction.getArguments()) {
      const [key, ...value] = argument.getValue().split('=');
      if (key) env[key] = value.join('=');
    }
  }
  return env;
}
