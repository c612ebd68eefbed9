/**
 * `longrun init <folder>`: a new project that runs at once — a one-operation spec built on the shared
 * contract file, its kind, a test, a README with its two commands, and a `.gitignore`. The files are the
 * ones in `cli/template/`, with the project's name and this command's version filled in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';

const usage = `Usage: longrun init <folder>

Creates <folder> (it must not exist, or be empty) with api.yaml, src/, test/, README.md, .gitignore
and package.json. Then: cd <folder> && npm install && npm start.
`;

/**
 * The template folder: beside this module in the repository (cli/commands/ → cli/template/), beside the
 * built file (dist/template/) once packed.
 */
export function templateDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '..', 'template'), path.join(here, 'template')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'api.yaml')));
  if (found === undefined) throw new Error(`longrun init: no project template in ${candidates.join(' or ')}`);
  return found;
}

/** The version of `@longrun/cli` running now: the scaffold depends on the packages of the same release. */
function ownVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@longrun/cli' && parsed.version !== undefined) return parsed.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('longrun init: cannot find the @longrun/cli package.json');
    dir = parent;
  }
}

/** npm leaves a package's `.gitignore` out of its tarball, so the template keeps it as `_gitignore`. */
function targetName(file: string): string {
  return file === '_gitignore' ? '.gitignore' : file;
}

async function templateFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await templateFiles(dir, relative)));
    else files.push(relative);
  }
  return files;
}

/** `longrun init`. */
export const initCommand: Command = {
  name: 'init',
  summary: 'create a new project: a one-operation spec, its kind, a test and a README',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      process.stdout.write(usage);
      return 0;
    }
    const [folder] = positionals;
    if (folder === undefined || positionals.length > 1) {
      process.stderr.write(`longrun init: name one folder to create.\n\n${usage}`);
      return 2;
    }
    const target = path.resolve(folder);
    if (existsSync(target) && (await readdir(target)).length > 0) {
      process.stderr.write(`longrun init: ${folder} exists and is not empty; pick a new folder.\n`);
      return 1;
    }
    const name = path
      .basename(target)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-');
    const version = ownVersion();
    const source = templateDir();
    for (const file of await templateFiles(source)) {
      const text = (await readFile(path.join(source, file), 'utf8'))
        .replaceAll('{{name}}', name)
        .replaceAll('{{version}}', version);
      const destination = path.join(target, path.dirname(file), targetName(path.basename(file)));
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, text);
    }
    const shown = path.relative(process.cwd(), target) || '.';
    process.stdout.write(`Created ${shown}. Next:\n\n  cd ${shown}\n  npm install && npm start\n  npm test\n`);
    return 0;
  },
};
