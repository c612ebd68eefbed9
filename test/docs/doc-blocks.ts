/**
 * Reading the commands out of the project's Markdown and comparing what they print with what the
 * page shows: the fenced blocks, the `$ command` / output pairs of a `console` block, and the shape
 * of an answer (status line, headers present, JSON fields).
 */

/** A fenced block of a Markdown file. */
export interface FencedBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`sh`, `console`, `ts`…), empty for none. */
  language: string;
  /** The info string's other words: `illustrative`, `eventually`, `file=<path>`. */
  flags: string[];
  body: string;
}

/** Languages whose blocks are commands a reader types. */
export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

/**
 * Flags an info string may carry after its language:
 * - `illustrative`: not run (it installs software, starts a long-running process, or needs a
 *   placeholder filled in); every such block is listed when the docs are walked;
 * - `eventually`: the answer shown comes once the operation has moved on: the first command is
 *   repeated (once a second, up to a minute) until its output has the shape shown;
 * - `file=<path>`: the block is the whole content of that file of the repository.
 */
export const KNOWN_FLAGS = /^(illustrative|eventually|file=\S+)$/;

/** Every fenced block of `markdown`. */
export function fencedBlocks(file: string, markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^(`{3,})(.*)$/.exec(lines[index] as string);
    if (!open) continue;
    const fence = open[1] as string;
    const [language = '', ...flags] = (open[2] as string).trim().split(/\s+/).filter(Boolean);
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !(lines[index] as string).startsWith(fence); index++) {
      body.push(lines[index] as string);
    }
    blocks.push({ file, line: start + 1, language, flags, body: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** One `$ command` of a `console` block and the output the page shows for it. */
export interface ConsoleStep {
  command: string;
  expected: string;
}

/** Splits a `console` block into its commands (with `\` continuations) and their shown output. */
export function consoleSteps(body: string): ConsoleStep[] {
  const steps: ConsoleStep[] = [];
  const lines = body.replace(/\n$/, '').split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as string;
    if (!line.startsWith('$ ')) {
      index++;
      continue;
    }
    let command = line.slice(2);
    while (command.endsWith('\\') && index + 1 < lines.length) {
      index++;
      command = `${command.slice(0, -1)} ${(lines[index] as string).trim()}`;
    }
    index++;
    const output: string[] = [];
    while (index < lines.length && !(lines[index] as string).startsWith('$ ')) output.push(lines[index++] as string);
    steps.push({ command, expected: output.join('\n').trim() });
  }
  return steps;
}

/** An id of the reference API as it appears in the docs: `op_…`, `car_…` with a 26-character ULID. */
const DOC_ID = /\b[a-z]+_[0-9a-z]{26}\b/g;

/** Where a shown answer and a real one differ in shape; empty when they agree. */
export interface ShapeCheck {
  mismatches: string[];
  /** Ids the page shows, mapped to the ones the real answer carries in the same place. */
  learnedIds: Map<string, string>;
}

/**
 * Compares the shape of `actual` (what the command printed) with `expected` (what the page shows):
 * the status code of an `HTTP/…` status line, the presence of each header shown, and the presence
 * of each JSON field shown (values differ from run to run: ids, times, progress); for plain text,
 * a printed line starting with the first word of each line shown. Ids shown are
 * mapped to the real ones found after the same text (`Location: /monitors/`, `{"id":"`).
 */
export function compareShape(expected: string, actual: string): ShapeCheck {
  const mismatches: string[] = [];
  const learnedIds = new Map<string, string>();
  const actualText = actual.replace(/\r\n/g, '\n');
  let expectedBody = expected;
  let actualBody = actualText;

  const status = /^HTTP\/\S+ (\d{3})\b.*$/m.exec(expected.split('\n')[0] ?? '');
  if (status) {
    const [expectedHead = '', ...expectedRest] = expected.split(/\n\s*\n/);
    const [actualHead = '', ...actualRest] = actualText.split(/\n\n/);
    expectedBody = expectedRest.join('\n\n');
    actualBody = actualRest.join('\n\n');
    const actualStatus = /^HTTP\/\S+ (\d{3})/.exec(actualHead);
    if (actualStatus?.[1] !== status[1]) {
      mismatches.push(`status ${actualStatus?.[1] ?? '(none)'} where the page shows ${status[1]}`);
    }
    const actualHeaders = new Set(
      actualHead
        .split('\n')
        .slice(1)
        .map((line) => line.slice(0, line.indexOf(':')).trim().toLowerCase()),
    );
    for (const line of expectedHead.split('\n').slice(1)) {
      const name = line.slice(0, line.indexOf(':')).trim();
      if (name && !actualHeaders.has(name.toLowerCase())) mismatches.push(`header ${name} missing`);
    }
  }

  const shownFields = [...expectedBody.matchAll(/"([A-Za-z_$][\w$-]*)"\s*:/g)].map((match) => match[1] as string);
  if (shownFields.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(actualBody);
    } catch {
      mismatches.push(`the page shows JSON, the command printed: ${actualBody.slice(0, 200)}`);
    }
    if (parsed !== undefined) {
      const present = new Set<string>();
      collectKeys(parsed, present);
      for (const field of new Set(shownFields)) {
        if (!present.has(field)) mismatches.push(`JSON field "${field}" missing`);
      }
    }
  }

  // Plain lines (no status line, no JSON): each line shown starts with a word some printed line starts with.
  if (!status && shownFields.length === 0) {
    const printedLines = actualText.split('\n');
    for (const line of expected.split('\n')) {
      const word = /^[^\s{…]+/.exec(line.trim())?.[0];
      if (word && !printedLines.some((printed) => printed.startsWith(word)))
        mismatches.push(`no line starting ${word}`);
    }
  }

  for (const match of expected.matchAll(DOC_ID)) {
    const lineStart = expected.lastIndexOf('\n', match.index) + 1;
    const before = expected.slice(Math.max(lineStart, match.index - 24), match.index);
    const found = new RegExp(`${escapeRegExp(before)}([A-Za-z0-9_-]+)`).exec(actualText);
    if (found?.[1] && !learnedIds.has(match[0])) learnedIds.set(match[0], found[1]);
  }
  return { mismatches, learnedIds };
}

function collectKeys(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectKeys(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      collectKeys(inner, into);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The doc ids a command uses. */
export function docIds(text: string): string[] {
  return [...text.matchAll(DOC_ID)].map((match) => match[0]);
}
