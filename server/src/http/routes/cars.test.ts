/**
 * `/cars` (a task with workflow steps) over real HTTP: a task with workflow steps whose monitor ends 201 → the car,
 * and `GET /cars/{id}` with `Prefer: respond-async`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineKind } from '../../operations/kind.ts';
import { OperationProblemError } from '../../operations/problems.ts';
import { ApiClient, BODIES, linkTarget } from '../../testing/api-client.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

describe('/cars', () => {
  let t: TestServer;
  let api: ApiClient;
  let carHref: string;
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
    carHref = (await api.post('/cars', BODIES.car, { Prefer: 'wait=30' })).headers.get('location') as string;
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it('walks the workflow steps chassis → paint → inspection and ends 201 with Location → the car', async () => {
    const accepted = await (await api.post('/cars', BODIES.car)).json();
    expect(accepted.steps.map((step: { name: string; state: string }) => [step.name, step.state])).toEqual([
      ['chassis', 'pending'],
      ['paint', 'pending'],
      ['inspection', 'pending'],
    ]);
    const done = await api.untilTerminal(accepted.links.self.href);
    expect(done.steps.map((step) => step.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(done.progress.percent).toBe(100);

    const final = await api.get(accepted.links.self.href);
    expect(final.status).toBe(201);
    const location = final.headers.get('location') as string;
    expect(location).toMatch(/^\/cars\/car_/);
    expect((await final.json()).links.product.href).toBe(location);
    const car = await api.get(location);
    expect(car.status).toBe(200);
    expect(car.headers.get('etag')).toMatch(/^".+"$/);
    expect(await car.json()).toMatchObject({ ...BODIES.car, links: { self: { href: location } } });
  });

  it('reads a car at once without Prefer', async () => {
    const answer = await api.get(carHref);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBeNull();
    expect(await answer.json()).toMatchObject(BODIES.car);
  });

  it('answers a read with Prefer: respond-async with 202 + Preference-Applied, and its monitor ends 200 with the car', async () => {
    const car = await (await api.get(carHref)).json();
    const accepted = await api.get(carHref, { Prefer: 'respond-async' });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    expect(accepted.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const monitor = await accepted.json();
    expect(monitor).toMatchObject({ kind: 'car.read', request: { method: 'GET', path: carHref } });
    expect(accepted.headers.get('location')).toBe(`/monitors/${monitor.id}`);
    expect(linkTarget(accepted.headers.get('link'), 'monitor')).toBe(`/monitors/${monitor.id}`);

    await api.untilTerminal(monitor.links.self.href);
    const final = await api.get(monitor.links.self.href);
    expect(final.status).toBe(200);
    expect(final.headers.get('location')).toBeNull();
    expect(await final.json()).toMatchObject({ state: 'succeeded', result: car });
  });

  it('answers Prefer: respond-async, wait=N with the car when the read finishes in time', async () => {
    const answer = await api.get(carHref, { Prefer: 'respond-async, wait=30' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe('wait=30');
    const read = await api.get(carHref);
    expect(answer.headers.get('etag')).toBe(read.headers.get('etag'));
    expect(await answer.json()).toEqual(await read.json());
  });

  it('answers 404 for a car that does not exist, with or without respond-async', async () => {
    for (const prefer of [{}, { Prefer: 'respond-async' }] as Record<string, string>[]) {
      const answer = await api.get('/cars/car_0000000000000000000000', prefer);
      expect(answer.status).toBe(404);
      expect((await answer.json()).type).toBe('https://longrun.dev/problems/not-found');
    }
  });
});

describe('GET /cars/{id} with Prefer: respond-async, wait=N when the read fails within the wait', () => {
  /** What the next read ends with: the kind below throws it. */
  let failure: Error = new Error('unset');
  let t: TestServer;
  let api: ApiClient;
  let carHref: string;
  beforeAll(async () => {
    // The reference read, replaced by name: it keeps its acceptance (the car must exist), and fails.
    const failingRead = defineKind<{ carId: string }, never, never>({
      name: 'car.read',
      async run() {
        throw failure;
      },
    });
    t = await startTestServer({
      kinds: (reference) => reference.map((kind) => (kind.name === 'car.read' ? (failingRead as typeof kind) : kind)),
    });
    api = new ApiClient(t);
    carHref = (await api.post('/cars', BODIES.car, { Prefer: 'wait=30' })).headers.get('location') as string;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers the failure itself as problem+json, with the status it carries, not the failed monitor', async () => {
    failure = new OperationProblemError({
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: 'The car was scrapped while it was being read.',
    });
    const answer = await api.get(carHref, { Prefer: 'respond-async, wait=30' });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get('preference-applied')).toBe('wait=30');
    expect(answer.headers.get('content-location')).toBeNull();
    const monitorHref = /^<([^>]+)>; rel="monitor"$/.exec(answer.headers.get('link') ?? '')?.[1] as string;
    expect(monitorHref).toMatch(/^\/monitors\/op_/);
    expect(await answer.json()).toEqual({
      type: 'https://longrun.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'The car was scrapped while it was being read.',
    });
    // The monitor still tells the whole story, failed with the same problem.
    const monitor = await api.monitor(monitorHref);
    expect(monitor).toMatchObject({ state: 'failed', error: { status: 404, detail: /scrapped/ } });
  });

  it('answers a handler that threw as operation-failed with 500, its message as the detail', async () => {
    failure = new Error('The car registry did not answer.');
    const answer = await api.get(carHref, { Prefer: 'respond-async, wait=30' });
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await answer.json()).toEqual({
      type: 'https://longrun.dev/problems/operation-failed',
      title: 'The operation failed',
      status: 500,
      detail: 'The car registry did not answer.',
    });
  });

  it('answers a problem without an error status (a kind that got it wrong) with 500', async () => {
    failure = new OperationProblemError({ type: 'odd', title: 'Odd', status: 200 });
    const answer = await api.get(carHref, { Prefer: 'respond-async, wait=30' });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ type: 'https://longrun.dev/problems/odd', status: 200 });
  });

  it('answers 202 + the monitor without a wait, which ends failed with the problem', async () => {
    failure = new OperationProblemError({ type: 'not-found', title: 'Not found', status: 404 });
    const answer = await api.get(carHref, { Prefer: 'respond-async' });
    expect(answer.status).toBe(202);
    const done = await api.untilTerminal((await answer.json()).links.self.href);
    expect(done).toMatchObject({ state: 'failed', error: { status: 404 } });
  });
});
