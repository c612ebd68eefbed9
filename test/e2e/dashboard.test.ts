/**
 * The live operations dashboard in a real browser, driven as a person would: it is built with Vite,
 * served by a real server at `/dashboard`, and clicked through in Chromium. Paste the key, start a
 * car and watch it progress live to its product, start a widget order and perform its waiting
 * fulfilment step, start another and cancel it, see a failure's problem and a refused request's
 * invalid parts, filter the list. Screenshots go to `test/artifacts/dashboard/` (not committed).
 *
 * Needs Chromium at /usr/bin/chromium (`apt-get install -y chromium`); without it this test fails.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type LongrunServer } from '@longrun/server';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(repoRoot, 'test', 'artifacts', 'dashboard');
const chromiumPath = '/usr/bin/chromium';
const apiKey = 'dashboard-key';

/** Builds the page with the server package's own build script (`vite build`). */
function buildDashboard(): Promise<void> {
  const vite = path.join(repoRoot, 'server', 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', 'dashboard/vite.config.ts'], {
      cwd: path.join(repoRoot, 'server'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed:\n${output}`))));
  });
}

/** The card of the newest monitor of a kind. */
function newestCard(tab: Page, kind: string): Locator {
  return tab.locator('li.card', { has: tab.getByRole('heading', { name: kind, exact: true }) }).first();
}

/** Starts an operation from the submit form and answers its monitor id. */
async function submit(tab: Page, path: string, body?: unknown): Promise<string> {
  const form = tab.getByRole('region', { name: 'Start an operation' });
  const operation = form.getByLabel('Operation');
  const value = await operation
    .locator('option')
    .filter({ hasText: new RegExp(`^POST ${path.replace(/[/]/g, '\\/')} `) })
    .getAttribute('value');
  await operation.selectOption(value ?? '');
  await expect.poll(() => form.getByLabel('Path').inputValue()).toBe(path);
  if (body !== undefined) await form.getByLabel('Request body (JSON)').fill(JSON.stringify(body));
  await form.getByRole('button', { name: 'Submit' }).click();
  const outcome = form.getByRole('status');
  await expect.poll(() => outcome.textContent(), { timeout: 10_000 }).toMatch(/^Accepted \(202\): /);
  const id = /(op_[0-9A-Za-z]+)/.exec((await outcome.textContent()) ?? '')?.[1];
  expect(id).toBeDefined();
  return id as string;
}

describe('the dashboard', () => {
  let api: LongrunServer | undefined;
  let apiUrl = '';
  let browser: Browser | undefined;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-dashboard-'));
    await mkdir(artifacts, { recursive: true });
    const [, server] = await Promise.all([
      buildDashboard(),
      // 0.5: a car takes ~4 s, long enough to see its progress bar and steps move.
      createServer({ dataDir, apiKeys: `dashboard:${apiKey}`, simulationScale: 0.5, logger: false }),
    ]);
    api = server;
    apiUrl = (await api.listen(0)).url;
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a person pastes a key, starts operations and watches, cancels and completes them', {
    timeout: 120_000,
  }, async () => {
    // Checked in the test, not a hook, so a missing browser counts as a failed test, never a skipped one.
    expect(existsSync(chromiumPath), `Chromium is missing at ${chromiumPath}: apt-get install -y chromium`).toBe(true);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const requests: { url: string; method: string; authorization: string | undefined; accept: string | undefined }[] =
      [];
    tab.on('request', (request) => {
      const headers = request.headers();
      requests.push({
        url: request.url(),
        method: request.method(),
        authorization: headers.authorization,
        accept: headers.accept,
      });
    });
    const shot = (name: string) => tab.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

    // The page, before a key: asks for one, shows nothing of the tenant.
    await tab.goto(`${apiUrl}/dashboard`);
    await expect.poll(() => tab.getByRole('main').isVisible()).toBe(false);
    await shot('01-asks-for-a-key');

    // A wrong key is refused with the API's problem, and not kept.
    await tab.getByLabel('API key').fill('not-a-key');
    await tab.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => tab.locator('#connection').textContent()).toMatch(/Not connected: .*\(401\)/);
    expect(await tab.evaluate(() => sessionStorage.getItem('longrun.apiKey'))).toBeNull();

    await tab.getByLabel('API key').fill(apiKey);
    await tab.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => tab.getByRole('main').isVisible()).toBe(true);
    await expect.poll(() => tab.locator('#list-outcome').textContent()).toMatch(/^0 monitors/);
    // Kept for this tab only.
    expect(await tab.evaluate(() => sessionStorage.getItem('longrun.apiKey'))).toBe(apiKey);
    expect(await tab.evaluate(() => localStorage.length)).toBe(0);

    // A car, watched live: the bar moves, the steps change, it ends with a link to the car.
    const carId = await submit(tab, '/cars');
    const car = tab.locator(`li.card[data-monitor-id="${carId}"]`);
    const bar = car.getByRole('progressbar', { name: `Progress of car.create ${carId}` });
    const percents = new Set<number>();
    const stepStates = new Set<string>();
    let midShot = false;
    for (let i = 0; i < 300 && (await car.getAttribute('data-state')) !== 'succeeded'; i += 1) {
      const percent = Number(await bar.getAttribute('aria-valuenow'));
      percents.add(percent);
      stepStates.add(
        (await car.locator('li.step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).join(),
      );
      if (!midShot && percent >= 40 && percent < 90) {
        midShot = true;
        await shot('02-car-in-progress');
      }
      await tab.waitForTimeout(50);
    }
    expect(await car.getAttribute('data-state')).toBe('succeeded');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    // Seen in between, not only the start and the end.
    expect([...percents].filter((p) => p > 0 && p < 100).length).toBeGreaterThan(3);
    expect([...stepStates]).toEqual(
      expect.arrayContaining(['running,pending,pending', 'succeeded,running,pending', 'succeeded,succeeded,running']),
    );
    expect(await car.locator('li.step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-state')))).toEqual(
      ['succeeded', 'succeeded', 'succeeded'],
    );
    expect(await car.getByText('Weld the chassis').count()).toBe(1);
    const product = car.getByRole('link', { name: /^Product \/cars\/car_/ });
    expect(await product.getAttribute('href')).toMatch(/^\/cars\/car_[0-9A-Za-z]+$/);
    await product.click();
    await expect.poll(() => car.locator('pre.resource').textContent()).toMatch(/"vin": "[A-HJ-NPR-Z0-9]{17}"/);
    await shot('03-car-succeeded');
    // Live over the event stream, with the key (fetch, not EventSource).
    const streams = requests.filter((r) => r.url === `${apiUrl}/monitors/${carId}/events`);
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.every((r) => r.authorization === `Bearer ${apiKey}` && r.accept === 'text/event-stream')).toBe(true);

    // A widget order whose fulfilment waits for a person: performed from the dashboard.
    const orderId = await submit(tab, '/widget-orders');
    const order = tab.locator(`li.card[data-monitor-id="${orderId}"]`);
    const fulfilment = order.locator('li.step[data-step="fulfilment"]');
    await expect.poll(() => fulfilment.getAttribute('data-state'), { timeout: 20_000 }).toBe('waiting');
    const waiting = order.getByRole('form', { name: 'Waiting step: Fulfilment' });
    expect(await waiting.getByRole('link').textContent()).toMatch(/^POST \/widget-orders\/[^/]+\/fulfilment$/);
    expect(JSON.parse(await waiting.getByLabel('Request body (JSON)').inputValue())).toHaveProperty('confirmedBy');
    await shot('04-order-waiting-for-fulfilment');
    await waiting.getByRole('button', { name: 'Perform “Fulfilment”' }).click();
    await expect.poll(() => order.getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded');
    expect(await fulfilment.getAttribute('data-state')).toBe('succeeded');
    expect(await order.getByRole('form').count()).toBe(0);
    expect(await order.getByRole('link', { name: /^invoice \/invoices\// }).count()).toBe(1);
    expect(await order.getByRole('link', { name: /^widget \/widgets\// }).count()).toBe(3);
    const confirmations = requests.filter((r) => r.method === 'POST' && r.url.endsWith('/fulfilment'));
    expect(confirmations.map((r) => r.authorization)).toEqual([`Bearer ${apiKey}`]);
    await shot('05-order-fulfilled');

    // Another order, cancelled from its card.
    const cancelledId = await submit(tab, '/widget-orders');
    const cancelled = tab.locator(`li.card[data-monitor-id="${cancelledId}"]`);
    await cancelled.getByRole('button', { name: `Cancel widget-order.fulfil ${cancelledId}` }).click();
    await expect.poll(() => cancelled.getAttribute('data-state'), { timeout: 20_000 }).toBe('cancelled');
    expect(await cancelled.getByRole('button', { name: /^Cancel / }).isVisible()).toBe(false);
    expect(requests.filter((r) => r.url === `${apiUrl}/monitors/${cancelledId}/cancel`)).toHaveLength(1);

    // A car the paint shop cannot paint: the card shows the operation's problem.
    const failedId = await submit(tab, '/cars', { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Ultraviolet' });
    const failed = tab.locator(`li.card[data-monitor-id="${failedId}"]`);
    await expect.poll(() => failed.getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
    expect(await failed.locator('.problem').textContent()).toContain('The paint shop has no Ultraviolet paint.');
    expect(await failed.locator('li.step[data-step="paint"]').getAttribute('data-state')).toBe('failed');

    // A request the API refuses: its problem, with each invalid part by pointer.
    const form = tab.getByRole('region', { name: 'Start an operation' });
    await form.getByLabel('Request body (JSON)').fill(JSON.stringify({ brand: 'Ford' }));
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toMatch(/Refused: .*\(400\)/);
    expect(await form.getByRole('status').locator('li code').allTextContents()).toEqual(
      expect.arrayContaining(['/body/make', '/body/model', '/body/color']),
    );
    await shot('06-failed-cancelled-and-refused');

    // Filters: by state, then by kind.
    await tab.getByLabel('State').selectOption('cancelled');
    await expect
      .poll(() => tab.locator('li.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-monitor-id'))))
      .toEqual([cancelledId]);
    await tab.getByLabel('State').selectOption('');
    await tab.getByLabel('Kind').selectOption('car.create');
    await expect
      .poll(() => tab.locator('li.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-monitor-id'))))
      .toEqual([failedId, carId]);
    await shot('07-filtered-by-kind');

    // A reload keeps the key (same tab) and lists the tenant's monitors, newest first.
    await tab.getByLabel('Kind').selectOption('');
    await tab.reload();
    await expect.poll(() => tab.locator('li.card').count()).toBe(4);
    expect(
      await tab.locator('li.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-monitor-id'))),
    ).toEqual([failedId, cancelledId, orderId, carId]);
    expect(await newestCard(tab, 'widget-order.fulfil').getAttribute('data-state')).toBe('cancelled');

    await context.close();
    // Everything came from the server's own origin: no CDN, no other host.
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.url.startsWith(`${apiUrl}/`) && !r.url.startsWith('data:'))).toEqual([]);
    expect(pageErrors.filter((error) => !/status of 40[01]/.test(error))).toEqual([]);
  });
});
