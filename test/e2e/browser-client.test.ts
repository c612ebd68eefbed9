/**
 * The client in a real browser: a page served from one origin loads the built browser bundle
 * (client/dist/browser/longrun.js), submits POST /cars to the API on another origin, waits for the
 * operation and reads the car. Proves the bundle runs without Node, and that CORS lets a page read
 * Location, Link, Retry-After, ETag and Preference-Applied and send Authorization, Prefer and
 * If-None-Match.
 *
 * Needs Chromium at /usr/bin/chromium (`apt-get install -y chromium`); without it this test fails.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type LongrunServer } from '@longrun/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundlePath = path.join(repoRoot, 'client', 'dist', 'browser', 'longrun.js');
const chromiumPath = '/usr/bin/chromium';
const apiKey = 'browser-key';

/** What the page reports back. */
interface PageResult {
  pageOrigin: string;
  car: { id: string; brand: string; vin: string };
  readBack: unknown;
  progressStates: string[];
  error?: string;
}

const page = (apiUrl: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>longrun in a browser</title></head>
<body>
<pre id="log"></pre>
<script type="module">
  import { createClient, waitFor } from '/longrun.js';
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  try {
    const client = createClient({ baseUrl: ${JSON.stringify(apiUrl)}, apiKey: ${JSON.stringify(apiKey)} });
    const accepted = await client.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });
    if (accepted.error) throw new Error('POST /cars refused: ' + JSON.stringify(accepted.error));
    const progressStates = [];
    const car = await waitFor(client, accepted, {
      onProgress: (monitor) => { progressStates.push(monitor.state); log(monitor.state + ' ' + monitor.progress.percent + '%'); },
    });
    const { data: readBack } = await client.GET('/cars/{carId}', { params: { path: { carId: car.id } } });
    window.__result = { pageOrigin: location.origin, car, readBack, progressStates };
  } catch (error) {
    window.__result = { error: String(error && error.stack || error) };
  }
</script>
</body>
</html>`;

/** Builds the browser bundle with the repository's build script. */
function buildBrowserBundle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'build-client.ts'), '--only', 'browser'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      createServer({ dataDir, apiKeys: `browser:${apiKey}`, simulationScale: 0.01, logger: false }),
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
  });

  test('a page on another origin submits POST /cars, waits for it and reads the car', async () => {
    // Checked in the test, not a hook, so a missing browser counts as a failed test, never a skipped one.
    expect(existsSync(chromiumPath), `Chromium is missing at ${chromiumPath}: apt-get install -y chromium`).toBe(true);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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

    // The page read Link/Location to find the monitor and long-polled it with the ETag it read.
    const monitorPolls = apiRequests.filter((r) => r.method === 'GET' && r.path.startsWith('/monitors/'));
    expect(monitorPolls.length).toBeGreaterThan(0);
    expect(monitorPolls.every((r) => r.headers.prefer === 'wait=30')).toBe(true);
    expect(monitorPolls.slice(1).every((r) => /^"op_/.test(r.headers['if-none-match'] ?? ''))).toBe(true);
    expect(
      apiRequests.filter((r) => r.method !== 'OPTIONS').every((r) => r.headers.authorization === `Bearer ${apiKey}`),
    ).toBe(true);
  });
});
