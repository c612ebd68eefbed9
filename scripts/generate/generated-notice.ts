/**
 * The one-line notice every generated file starts with (as a `//` comment in TypeScript, as the top-level
 * `x-generated` field in JSON).
 * @param specLabel the spec path as written in the notice, relative to the repository root
 */
export function generatedNotice(specLabel: string): string {
  return `generated from ${specLabel} by \`pnpm generate\` — do not edit`;
}
