/**
 * The one-line notice every generated file starts with (as a `//` comment in TypeScript, as the top-level
 * `x-generated` field in JSON).
 * @param specLabel the spec path as written in the notice (relative to the repository root for this repository)
 * @param command the command that regenerates the file
 */
export function generatedNotice(specLabel: string, command = 'pnpm generate'): string {
  return `generated from ${specLabel} by \`${command}\` — do not edit`;
}
