/**
 * The API reference the server serves about itself: `/openapi.json` is the spec it validates
 * against, `/docs` reads it in a real Chromium, and neither needs an API key nor any other host.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBundledSpec } from '@longrun/openapi';
import { createServer, type LongrunServer } from '@longrun/server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, requireChromium } from '../support/chromium.ts';

describe('the API reference', () => {
  let server: LongrunServer | undefined;
  let url = '';
  let dataDir = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-reference-'));
    server = await createServer({ dataDir, apiKeys: 'acme:secret', logger: false });
    ({ url } = await server.listen(0));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('/openapi.json is the bundled spec, served without an API key', async () => {
    const response = await fetch(`${url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(await loadBundledSpec());
  });

  test('/docs is a page of this origin only: its scripts are served here, its policy allows no other host', async () => {
    const response = await fetch(`${url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/https?:/);
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const asset = await fetch(new URL(script, url));
      expect(asset.status, script).toBe(200);
      expect(asset.headers.get('content-type'), script).toMatch(/javascript/);
    }
  });

  test('Chromium renders the operations of the spec from /docs, asking only this server', async (testContext) => {
    const executablePath = requireChromium(testContext);
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => {
      requested.push(request.url());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url}/docs`);
    // Summaries of operations of the spec, as a reader looks for them.
    await page.getByText("List the caller's monitors, newest first").first().waitFor({ timeout: 30_000 });
    await page.getByText('Ask to cancel an accepted request').first().waitFor({ timeout: 30_000 });
    expect(await page.title()).toContain('longrun reference API');
    const origin = new URL(url).origin;
    const elsewhere = requested.filter((address) => !address.startsWith(origin) && !/^(data|blob):/.test(address));
    expect(elsewhere).toEqual([]);
    expect(requested).toContain(`${origin}/openapi.json`);
    expect(pageErrors).toEqual([]);
  });
});
