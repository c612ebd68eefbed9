import { runCommand } from '../run-command.ts';

// Generated folders are outside Biome's `files.includes`, so the source is piped through stdin under a
// neutral file name: it is formatted with the repository's settings without un-ignoring the folders.
const virtualPath = 'scripts/generate/generated-source.ts';

/**
 * Formats TypeScript source with the repository's Biome settings, so generated files look like the
 * hand-written ones and come out byte-identical on every run.
 * @see https://biomejs.dev/reference/cli/#biome-format
 */
export async function formatTypeScript(source: string, label: string): Promise<string> {
  const result = await runCommand('biome', ['format', `--stdin-file-path=${virtualPath}`], {
    capture: true,
    input: source,
  });
  if (result.code !== 0) throw new Error(`biome format failed for ${label}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}
