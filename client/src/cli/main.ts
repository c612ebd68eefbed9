#!/usr/bin/env node
/** The `longrun` command's process entry (`submit` and `wait`). */
import { runCliInProcess } from './run-in-process.ts';

process.exitCode = await runCliInProcess(process.argv.slice(2));
