/**
 * The client in a real browser: a page served from one origin loads the built browser bundle
 * (client/dist/browser/longrun.js), submits POST /cars to the API on another origin, waits for the
 * operation and reads the car. Proves the bundle runs without Node, and that CORS lets a page:
 * - follow the monitor's event stream with fetch (`Authorization`, `Accept: text/event-stream`, the
 *   stream read as it comes), and reopen a broken one with `Last-Event-ID`;
 * - long-poll: read Location, Link, Retry-After, ETag and Preference-Applied and send Prefer and
 *   If-None-Match.
 *
 * Needs Chromium (`apt-get install chromium`): without it this test fails in CI and is skipped,
 * loudly, elsewhere (see `test/support/chromium.ts`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type LongrunServer } from '@longrun/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, requireChromium } from '../support/chromium.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Its own folder, not client/dist: the packaging test rebuilds client/dist at the same time.
const bundleDir = mkdtempSync(path.join(tmpdir(), 'longrun-browser-bundle-'));
const bundlePath = path.join(bundleDir, 'longrun.js');
const apiKey = 'browser-key';

/** What the page reports back. */
interface PageResult {
  pageOrigin: string;
  car: { id: string; brand: string; vin: string };
  readBack: unknown;
  progressStates: string[];
  longPolled: { color: string };
  resumed: { color: string };
  error?: string;
}

const carSpec = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

const page = (apiUrl: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>longrun in a browser</title></head>
<body>
<pre id="log"></pre>
<script type="module">
  import { createClient, waitFor } from '/longrun.js';
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  const baseUrl = ${JSON.stringify(apiUrl)};
  const apiKey = ${JSON.stringify(apiKey)};
  const carSpec = ${JSON.stringify(carSpec)};
  /** A fetch whose first event stream breaks once it has handed over an event of the running car. */
  function cutFirstStream() {
    let cut = false;
    return async (request) => {
      const response = await fetch(request);
      if (cut || !request.url.endsWith('/events')) return response;
      cut = true;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let breakNow = false;
      const body = new ReadableStream({
        async pull(controller) {
          if (breakNow) { await reader.cancel(); controller.error(new TypeError('connection reset')); return; }
          const { done, value } = await reader.read();
          if (done) { controller.close(); return; }
          controller.enqueue(value);
          breakNow = /"state":"(queued|running)"/.test(decoder.decode(value, { stream: true }));
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
  }
  try {
    const client = createClient({ baseUrl, apiKey });
    // Auto mode: the monitor links its event stream.
    const accepted = await client.POST('/cars', { body: carSpec });
    if (accepted.error) throw new Error('POST /cars refused: ' + JSON.stringify(accepted.error));
    const progressStates = [];
    const car = await waitFor(client, accepted, {
      onProgress: (monitor) => { progressStates.push(monitor.state); log(monitor.state + ' ' + monitor.progress.percent + '%'); },
    });
    const { data: readBack } = await client.GET('/cars/{carId}', { params: { path: { carId: car.id } } });
    // The long poll, asked for explicitly.
    const longPolled = await waitFor(client, await client.POST('/cars', { body: { ...carSpec, color: 'Red' } }), { mode: 'long-poll' });
    // The event stream, broken once: reopened with Last-Event-ID (a header the preflight must allow).
    const cutting = createClient({ baseUrl, apiKey, fetch: cutFirstStream() });
    const resumed = await waitFor(cutting, await cutting.POST('/cars', { body: { ...carSpec, color: 'Green' } }), { mode: 'sse', random: () => 0 });
    window.__result = { pageOrigin: location.origin, car, readBack, progressStates, longPolled, resumed };
  } catch (error) {
    window.__result = { error: String(error && error.stack || error) };
  }
</script>
</body>
</html>`;

/** Builds the browser bundle with the repository's build script. */
function buildBrowserBundle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'scripts', 'build-client.ts'), '--only', 'browser', '--out', bundleDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`build-client failed:\n${output}`))));
  });
}

/** The page's own origin: a plain node:http server, on another port than the API. */
async function servePage(apiUrl: string): Promise<{ server: Server; url: string }> {
  const bundle = await readFile(bundlePath);
  const server = createHttpServer((request, response) => {
    if (request.url === '/longrun.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (request.url === '/' || request.url === '/index.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(apiUrl));
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the browser bundle', () => {
  let api: LongrunServer | undefined;
  let apiUrl = '';
  let pageServer: Server | undefined;
  let pageUrl = '';
  let browser: Browser | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-e2e-'));
    const [, server] = await Promise.all([
      buildBrowserBundle(),
      // 0.05: a car takes ~400 ms, so the page's stream opens while the car is still running (the cut needs that).
      createServer({ dataDir, apiKeys: `browser:${apiKey}`, simulationScale: 0.05, logger: false }),
    ]);
    api = server;
    apiUrl = (await api.listen(0)).url;
    ({ server: pageServer, url: pageUrl } = await servePage(apiUrl));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve(undefined)));
    await api?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  });

  test('a page on another origin submits POST /cars, waits for it and reads the car', async (testContext) => {
    // Checked in the test, not a hook, so only this test is skipped (or failed, in CI) without a browser.
    const executablePath = requireChromium(testContext);
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const context = await browser.newContext();
    const tab = await context.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const apiRequests: { method: string; path: string; headers: Record<string, string> }[] = [];
    tab.on('request', (request) => {
      if (request.url().startsWith(apiUrl)) {
        apiRequests.push({
          method: request.method(),
          path: new URL(request.url()).pathname,
          headers: request.headers(),
        });
      }
    });

    await tab.goto(pageUrl);
    await tab.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, {
      timeout: 20_000,
    });
    const result = (await tab.evaluate(() => (window as { __result?: unknown }).__result)) as PageResult;
    await context.close();

    expect(result.error).toBeUndefined();
    expect(pageErrors).toEqual([]);
    expect(result.pageOrigin).toBe(pageUrl);
    expect(new URL(apiUrl).origin).not.toBe(result.pageOrigin);
    expect(result.car).toMatchObject({ brand: 'Ford', vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/) });
    expect(result.readBack).toEqual(result.car);
    expect(result.progressStates[0]).toBe('queued');
    expect(result.progressStates.at(-1)).toBe('succeeded');
    expect(result.longPolled.color).toBe('Red');
    expect(result.resumed.color).toBe('Green');

    // The GETs each of the three waits made (those after its POST, before the next one).
    const posts = apiRequests.flatMap((r, index) => (r.method === 'POST' ? [index] : []));
    expect(posts).toHaveLength(3);
    const [streamed = [], longPolled = [], resumed = []] = posts.map((start, i) =>
      apiRequests.slice(start + 1, posts[i + 1]).filter((r) => r.method === 'GET'),
    );
    const summary = (requests: typeof apiRequests) =>
      requests.map((r) => `${r.path.replace(/[a-z]+_[0-9a-z]+/g, '{id}')} ${r.headers['last-event-id'] ?? '-'}`);

    // Auto mode: one event stream (read with fetch, sent the API key), then the car, and the read-back.
    expect(summary(streamed)).toEqual(['/monitors/{id}/events -', '/cars/{id} -', '/cars/{id} -']);
    expect(streamed[0]?.headers.accept).toBe('text/event-stream');
    // Long poll: the page read Link/Location to find the monitor and long-polled it with the ETag it read.
    const monitorPolls = longPolled.filter((r) => r.path.startsWith('/monitors/'));
    expect(monitorPolls.length).toBeGreaterThan(0);
    expect(monitorPolls.every((r) => r.headers.prefer === 'wait=30')).toBe(true);
    expect(monitorPolls.slice(1).every((r) => /^"op_/.test(r.headers['if-none-match'] ?? ''))).toBe(true);
    // The broken stream was reopened with Last-Event-ID: the preflight allowed it.
    expect(summary(resumed)).toEqual([
      '/monitors/{id}/events -',
      expect.stringMatching(/^\/monitors\/\{id\}\/events \d+$/),
      '/cars/{id} -',
    ]);
    expect(
      apiRequests.filter((r) => r.method !== 'OPTIONS').every((r) => r.headers.authorization === `Bearer ${apiKey}`),
    ).toBe(true);
  });
});
