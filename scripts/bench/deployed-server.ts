/**
 * The server as a deployment runs it, for the benchmark: its packages built (`pnpm build`), the
 * packed server installed with npm and production dependencies only into a folder outside the
 * repository (`pnpm deploy:server`, what the container image does), and the benchmark's own
 * server script (`servers/longrun.ts`) turned into JavaScript beside that install, so the process
 * loads built JavaScript only: no TypeScript source, and so no type stripper in the process.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { deployServer } from '../deploy-server.ts';
import { repoRoot } from '../repo-root.ts';
import { runCommand } from '../run-command.ts';

/** The packages `pnpm deploy:server` packs and installs, in build order. */
const DEPLOYED_PACKAGES = ['openapi', 'server'];

/**
 * npm as the benchmark runs it: from its cache first, and no retries, so a machine that cannot
 * reach the registry finds out in seconds instead of npm retrying every dependency for minutes.
 */
const INSTALL_ENV = { npm_config_prefer_offline: 'true', npm_config_fetch_retries: '0' };

/** The benchmark's server script and the module it imports, made JavaScript in the deployed folder. */
const HARNESS = ['longrun.ts', 'report-ready.ts'];

/** A deployed server's folder and the entry that starts it under the benchmark. */
export interface DeployedServer {
  dir: string;
  /** `servers/longrun.ts` as JavaScript, importing the installed `@longrun/server`. */
  entry: string;
}

/**
 * Builds the server's packages, installs the packed server into a fresh temporary folder, and writes the
 * benchmark's server script there as JavaScript.
 *
 * @throws when the build or the install fails (the npm registry, or its cache, must be reachable)
 */
export async function deployServerForBench(): Promise<DeployedServer> {
  // Only what the deployment installs: the client and the command are not part of it.
  for (const name of DEPLOYED_PACKAGES) {
    const built = await runCommand('pnpm', ['build', '--package', name], { cwd: repoRoot, capture: true });
    if (built.code !== 0) throw new Error(`pnpm build --package ${name} failed:\n${built.stdout}${built.stderr}`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'longrun-bench-deployed-'));
  try {
    await deployServer(dir, 'npm', INSTALL_ENV);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const harness = path.join(dir, 'bench-server');
  await mkdir(harness, { recursive: true });
  const servers = fileURLToPath(new URL('./servers/', import.meta.url));
  for (const file of HARNESS) {
    const source = await readFile(path.join(servers, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        rewriteRelativeImportExtensions: true,
        verbatimModuleSyntax: true,
      },
    });
    await writeFile(path.join(harness, file.replace(/\.ts$/, '.js')), outputText);
  }
  return { dir, entry: path.join(harness, 'longrun.js') };
}
