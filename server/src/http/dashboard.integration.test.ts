import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBundledSpec } from '@longrun/openapi';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dashboard, dashboardConfig } from './dashboard.ts';
import { problemHandler } from './error-handler.ts';

describe('the dashboard configuration', () => {
  it("lists the spec's operations with a JSON body, their examples, and the asynchronous kinds", async () => {
    const config = dashboardConfig(await loadBundledSpec());
    expect(config.operations).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: '/cars',
        kind: 'car.create',
        example: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' },
      }),
    );
    // The action a waiting step links to: no kind of its own, an example body to start from.
    const fulfilment = config.operations.find((o) => o.path === '/widget-orders/{orderId}/fulfilment');
    expect(fulfilment).toMatchObject({ method: 'POST', example: { confirmedBy: expect.any(String) } });
    expect(fulfilment?.kind).toBeUndefined();
    expect(config.kinds).toEqual(expect.arrayContaining(['car.create', 'car.read', 'widget-order.fulfil', 'reindex']));
  });

  it('describes a spec of another domain just as well', () => {
    const spec = {
      openapi: '3.1.0',
      paths: {
        '/invoices/{id}/reminders': {
          post: {
            operationId: 'sendReminder',
            summary: 'Remind the customer',
            'x-longrun-async': { kind: 'reminder.send' },
            requestBody: { content: { 'application/json': { example: { channel: 'email' } } } },
          },
          get: { operationId: 'listReminders' },
        },
      },
    };
    expect(dashboardConfig(spec)).toEqual({
      operations: [
        {
          method: 'POST',
          path: '/invoices/{id}/reminders',
          operationId: 'sendReminder',
          summary: 'Remind the customer',
          kind: 'reminder.send',
          example: { channel: 'email' },
        },
      ],
      kinds: ['reminder.send'],
    });
  });
});

describe('the dashboard router', () => {
  let buildDir = '';
  let emptyDir = '';
  let server: Server | undefined;
  let url = '';

  beforeAll(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), 'longrun-dashboard-build-'));
    emptyDir = await mkdtemp(path.join(tmpdir(), 'longrun-dashboard-empty-'));
    await mkdir(path.join(buildDir, 'assets'));
    await writeFile(path.join(buildDir, 'index.html'), '<!doctype html><title>dashboard</title>');
    await writeFile(path.join(buildDir, 'assets', 'index-abc123.js'), 'export {};');
    const app = express();
    const spec = { paths: {} };
    app.use('/built', dashboard({ spec, buildDir }));
    app.use('/unbuilt', dashboard({ spec, buildDir: emptyDir }));
    app.use(problemHandler(pino({ level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await Promise.all([buildDir, emptyDir].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('serves the built page, with and without the trailing slash, under a policy that allows only its own origin', async () => {
    for (const page of ['/built/dashboard', '/built/dashboard/']) {
      const answer = await fetch(`${url}${page}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await answer.text()).toContain('<title>dashboard</title>');
      const policy = answer.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("connect-src 'self'");
    }
  });

  it('serves hashed assets as immutable, and answers a problem for anything else', async () => {
    const asset = await fetch(`${url}/built/dashboard/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${url}/built/dashboard/assets/nothing.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('says how to build the page when it is not built', async () => {
    const answer = await fetch(`${url}/unbuilt/dashboard`);
    expect(answer.status).toBe(503);
    expect(await answer.text()).toContain('pnpm --filter @longrun/server build:dashboard');
  });
});

describe('/dashboard on a longrun server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it("answers the page's configuration without a key, while the API still asks for one", async () => {
    const config = await fetch(`${t.url}/dashboard/config.json`);
    expect(config.status).toBe(200);
    const body = (await config.json()) as { operations: { path: string }[] };
    expect(body.operations.map((operation) => operation.path)).toContain('/widget-orders');
    expect((await fetch(`${t.url}/monitors`)).status).toBe(401);
    expect((await fetch(`${t.url}/dashboard/elsewhere`)).status).toBe(404);
  });
});
