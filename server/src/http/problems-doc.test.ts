/**
 * docs/problems.md documents every problem type of both registries, with its type URI, status,
 * title and when it happens; this test fails as soon as the page and the registries drift apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATION_PROBLEMS, problemType } from '../operations/problems.ts';
import { HTTP_PROBLEMS } from './problem.ts';

const PAGE = readFileSync(new URL('../../../docs/problems.md', import.meta.url), 'utf8');

interface DocumentedProblem {
  type: string;
  status: number;
  title: string;
  when: string;
}

/** The rows of the table under the `## <heading>` section of the page. */
function documentedIn(heading: string): DocumentedProblem[] {
  const start = PAGE.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/problems.md has no "## ${heading}" section`);
  const end = PAGE.indexOf('\n## ', start + 1);
  const section = PAGE.slice(start, end < 0 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => /^\|\s*`https?:/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [type = '', status = '', title = '', when = ''] = cells;
      return { type: type.replace(/^`|`$/g, ''), status: Number(status), title, when };
    });
}

/** Type, status and title of each entry, by type (the page may order them its own way). */
function registry(entries: readonly { type: string; status: number; title: string }[]) {
  return entries
    .map(({ type, status, title }) => ({ type, status, title }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

describe('docs/problems.md', () => {
  it('lists every HTTP problem (HTTP_PROBLEMS) with its type URI, status and title, and nothing else', () => {
    const expected = registry(
      Object.entries(HTTP_PROBLEMS).map(([name, { status, title }]) => ({ type: problemType(name), status, title })),
    );
    expect(registry(documentedIn('HTTP problems'))).toEqual(expected);
  });

  it('lists every operation problem (OPERATION_PROBLEMS) with its type URI, status and title, and nothing else', () => {
    expect(registry(documentedIn('Operation problems'))).toEqual(registry(Object.values(OPERATION_PROBLEMS)));
  });

  it('says when each one happens', () => {
    for (const row of [...documentedIn('HTTP problems'), ...documentedIn('Operation problems')]) {
      expect(row.when.length, row.type).toBeGreaterThan(30);
    }
  });

  it('names the documented failure triggers of the reference kinds', () => {
    for (const trigger of ['Ultraviolet', '1024 GB', '.missing']) expect(PAGE).toContain(trigger);
  });
});
