#!/usr/bin/env node
// `npm create longrun my-api` runs this file: it hands its arguments to `longrun init`, so the project
// is made by the same command (and the same template) as `npx longrun init my-api`. Plain JavaScript,
// so the package needs no build and runs on any Node >= 20.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const manifestPath = createRequire(import.meta.url).resolve('@longrun/cli/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const bin = path.join(path.dirname(manifestPath), manifest.bin.longrun);
const child = spawn(process.execPath, [bin, 'init', ...process.argv.slice(2)], { stdio: 'inherit' });
child.once('close', (code) => {
  process.exitCode = code ?? 1;
});
