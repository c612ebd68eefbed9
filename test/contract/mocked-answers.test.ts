/**
 * Every answer `pnpm mock` can give is valid against the spec: for each operation, each documented
 * status and each of its examples, Prism (`prism mock --errors`, which checks its own answers) is
 * asked for exactly that answer with `Prefer: code=…, example=…`, and must give it without a violation,
 * with every declared header filled from its example.
 */
import { readFile } from 'node:fs/promises';
import { loadBundledSpec } from '@longrun/openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProcess, startPrism } from '../../scripts/mock/prism-process.ts';
import { type IndexedOperation, type IndexedResponse, isObject, SpecIndex } from '../../scripts/mock/spec-index.ts';
import { describeObjections, inspect } from './targets.ts';

const spec = new SpecIndex(await loadBundledSpec());
let prism: PrismProcess;

beforeAll(async () => {
  prism = await startPrism({ mode: 'mock' });
});
afterAll(async () => {
  await prism?.stop();
});

/** A request to `operation` that Prism accepts, asking for `code` and `example`. */
function validRequest(operation: IndexedOperation, directives: string): Request {
  let path = operation.path;
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(parameter.example)));
  }
  const headers = new Headers({ Prefer: directives });
  if (operation.secured) headers.set('Authorization', 'Bearer mock-key');
  for (const parameter of operation.parameters.filter((p) => p.in === 'header' && p.required)) {
    headers.set(parameter.name, String(parameter.example));
  }
  let body: string | undefined;
  if (operation.requestBody !== undefined) {
    headers.set('Content-Type', operation.requestBody.mediaType);
    body = JSON.stringify(operation.requestBody.examples[0]?.value);
  }
  return new Request(`${prism.url}${path}`, { method: operation.method.toUpperCase(), headers, body });
}

/** One case per operation, documented status and example (a response without examples is one case). */
const cases = spec.operations.flatMap((operation) =>
  operation.responses
    .filter((response) => /^\d{3}$/.test(response.code))
    .flatMap((response) =>
      (response.examples.length > 0 ? response.examples.map((example) => example.key) : [undefined]).map((key) => ({
        operation,
        response,
        key,
      })),
    ),
);

describe('pnpm mock (Prism) answers every documented status and example validly', () => {
  it('covers every operation of the spec', () => {
    const covered = new Set(cases.map(({ operation }) => operation.operationId));
    expect([...covered].sort()).toEqual(spec.operations.map((operation) => operation.operationId).sort());
  });

  it.each(cases.map((c) => [`${c.operation.operationId} ${c.response.code}${c.key ? ` ${c.key}` : ''}`, c] as const))(
    '%s',
    async (_name, { operation, response, key }) => {
      const request = validRequest(
        operation,
        key === undefined ? `code=${response.code}` : `code=${response.code}, example=${key}`,
      );
      const answer = await fetch(request);
      const exchange = await inspect(request, answer);
      expect(exchange.violations.length + (exchange.prismProblem ? 1 : 0), describeObjections([exchange])).toBe(0);
      expect(answer.status).toBe(Number(response.code));
      expectHeaderExamples(response, answer.headers);
      if (key !== undefined) await expectExampleBody(response, key, answer);
    },
  );
});

describe('every header the spec declares has an example, so a mock can answer it', () => {
  it('is true of every response header, and Retry-After is bounded', () => {
    const missing: string[] = [];
    for (const operation of spec.operations) {
      for (const response of operation.responses) {
        for (const header of response.headers) {
          const where = `${operation.operationId} ${response.code} ${header.name}`;
          if (header.example === undefined) missing.push(where);
          if (header.name.toLowerCase() === 'retry-after') {
            expect(header.schema, where).toMatchObject({ type: 'integer', minimum: 0, maximum: expect.any(Number) });
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/mock.md', () => {
  it('asks Prism only for answers it gives', async () => {
    const table = await readFile(new URL('../../docs/mock.md', import.meta.url), 'utf8');
    // Rows of the form | `METHOD /path` | what | `Prefer: directives` | status |
    const rows = table
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map((cells) => ({
        row: cells.join(' | '),
        request: /^`(GET|POST) ([^`]+)`$/.exec(cells[1] ?? ''),
        prefer: /^`Prefer: ([^`]+)`$/.exec(cells[3] ?? '')?.[1],
        status: /^\d{3}$/.exec(cells[4] ?? '')?.[0],
      }))
      .filter((row) => row.request !== null && row.prefer !== undefined && row.status !== undefined);
    expect(rows.length).toBeGreaterThan(10);
    for (const { row, request: found, prefer = '', status = '' } of rows) {
      const [, method = '', path = ''] = found ?? [];
      const match = spec.match(method, path.replace(/\{[^}]+\}/g, 'op_01JABCDEF0123456789ABCDEFG'));
      const operation =
        typeof match === 'object'
          ? match.operation
          : spec.operations.find((candidate) => candidate.method === method.toLowerCase() && candidate.path === path);
      expect(operation, row).toBeDefined();
      if (operation === undefined) continue;
      const request = validRequest(operation, prefer);
      const answer = await fetch(request);
      const exchange = await inspect(request, answer);
      expect(
        exchange.violations.length + (exchange.prismProblem ? 1 : 0),
        `${row}\n${describeObjections([exchange])}`,
      ).toBe(0);
      expect(answer.status, row).toBe(Number(status));
    }
  });
});

/** Every declared header is present with its example value (Prism fills headers from their examples). */
function expectHeaderExamples(response: IndexedResponse, headers: Headers): void {
  for (const header of response.headers) {
    expect(headers.get(header.name), `${response.code} ${header.name}`).toBe(String(header.example));
  }
}

async function expectExampleBody(response: IndexedResponse, key: string, answer: Response): Promise<void> {
  const expected = response.examples.find((example) => example.key === key)?.value;
  const text = await answer.text();
  if (isObject(expected) || Array.isArray(expected)) expect(JSON.parse(text)).toEqual(expected);
  else expect(text).toBe(String(expected));
}
