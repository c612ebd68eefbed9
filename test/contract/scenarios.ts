/**
 * The contract scenarios: what any implementation of the longrun contract must do, driven through
 * the SDK (`createClient`, `waitFor`, `cancel`). Each `*.contract.test.ts` runs them against one
 * target (see targets.ts); a scenario names the targets it applies to, and how to steer Prism's
 * static mock through it with directives.
 *
 * After every scenario the suite asserts that Prism objected to nothing: no `sl-violations`, no
 * `VIOLATIONS` problem, no answer Prism made up (unless the scenario expects one).
 */
import {
  ApiError,
  cancel,
  createClient,
  type LongrunClient,
  OperationCancelledError,
  OperationFailedError,
  waitFor,
} from '@longrun/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractTarget, describeObjections, startTarget, type TargetName } from './targets.ts';

/** What a scenario gets to work with. */
export interface ScenarioContext {
  target: ContractTarget;
  /** A client of tenant `acme`. */
  client: LongrunClient;
  /** A client of another tenant. */
  otherClient: LongrunClient;
}

/** One contract scenario. */
export interface Scenario {
  name: string;
  targets: readonly TargetName[];
  run(context: ScenarioContext): Promise<void>;
}

const everywhere: readonly TargetName[] = ['server', 'stateful-mock', 'prism-mock'];
const stateful: readonly TargetName[] = ['server', 'stateful-mock'];

const car = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } as const;
/** Waits fast: the targets answer long polls, and their operations take well under a second. */
const quickly = { timeoutMs: 20_000, longPollSeconds: 5, minDelayMs: 20 } as const;

/** `<href>; rel="rel"` → href. */
function linkTarget(header: string | null, rel: string): string | undefined {
  return header
    ?.split(',')
    .map((part) => /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim()))
    .find((match) => match?.[2] === rel)?.[1];
}

/** Asserts the contract's `202 Accepted`: `Location`, whole-second `Retry-After`, `Link rel="monitor"`. */
function expectAccepted(response: Response, locationPattern: RegExp = /^\/monitors\/op_/): void {
  expect(response.status).toBe(202);
  expect(response.headers.get('Location')).toMatch(locationPattern);
  expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
  expect(linkTarget(response.headers.get('Link'), 'monitor')).toMatch(/^\/monitors\/op_/);
}

/** The contract scenarios, in the order they run. */
export const scenarios: readonly Scenario[] = [
  {
    name: 'accepts a car order: 202 with Location → monitor, Retry-After, Link rel="monitor" and the queued monitor',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=202' });
      const { response, data } = await client.POST('/cars', { body: car });
      expectAccepted(response);
      expect(linkTarget(response.headers.get('Link'), 'monitor')).toBe(response.headers.get('Location'));
      expect(data).toMatchObject({ kind: 'car.create', state: expect.stringMatching(/^(queued|running)$/) });
      expect(data?.links.self.href).toBe(response.headers.get('Location'));
    },
  },
  {
    name: 'waitFor follows a car order to the built car, reporting progress',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=202', getMonitor: 'code=201, example=succeeded' });
      const seen: string[] = [];
      const built = await waitFor(client, await client.POST('/cars', { body: car }), {
        ...quickly,
        onProgress: (monitor) => seen.push(monitor.state),
      });
      expect(built).toMatchObject({
        brand: 'Ford',
        make: 'Mustang',
        vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/),
      });
      expect(built.links.self.href).toMatch(/^\/cars\/car_/);
      expect(seen.at(-1)).toBe('succeeded');
    },
  },
  {
    name: 'waitFor yields the typed outcome of every async operation: product or inline result',
    targets: stateful,
    async run({ client }) {
      // All at once: each wait is typed by the operation it follows.
      const [vm, video, report, order] = await Promise.all([
        client
          .POST('/virtual-machines', { body: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } } })
          .then((accepted) => waitFor(client, accepted, quickly)),
        client
          .POST('/transcodes', {
            body: { source: 'https://media.example.com/raw/a.mov', format: 'webm', resolution: '720p' },
          })
          .then((accepted) => waitFor(client, accepted, quickly)),
        client.POST('/reindex', { body: { scope: 'cars' } }).then((accepted) => waitFor(client, accepted, quickly)),
        client
          .POST('/widget-orders', { body: { items: [{ sku: 'WID-BLUE-01', quantity: 2 }] } })
          .then((accepted) => waitFor(client, accepted, quickly)),
      ]);
      expect(vm).toMatchObject({ status: 'ready', ipAddress: expect.any(String) });
      expect(video.links.self.href).toMatch(/^\/products\//);
      expect(video).toMatchObject({ sizeBytes: expect.any(Number) });
      expect(report).toMatchObject({ documentsIndexed: expect.any(Number) });
      expect(order).toMatchObject({ status: 'fulfilled', invoice: { href: expect.stringMatching(/^\/invoices\//) } });
    },
  },
  {
    name: 'an embedded-status resource: Location is the virtual machine, which links its monitor and carries progress',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createVirtualMachine: 'code=202' });
      const { response } = await client.POST('/virtual-machines', {
        body: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } },
      });
      expectAccepted(response, /^\/virtual-machines\/vm_/);
      const location = response.headers.get('Location') ?? '';
      const vm = await client.fetchLink(location);
      expect(vm.status).toBe(200);
      const body = (await vm.json()) as {
        status: string;
        progress: { percent: number };
        links: { monitor: { href: string } };
      };
      expect(body.status).toMatch(/^(provisioning|ready)$/);
      if (target.name !== 'prism-mock') {
        // Prism's examples cannot know which monitor answered; the others link the real one.
        expect(body.links.monitor.href).toBe(linkTarget(response.headers.get('Link'), 'monitor'));
      }
    },
  },
  {
    name: 'a read accepted as an operation: Prefer: respond-async answers 202 + monitor, and waitFor yields the car',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=201', getCar: 'code=202', getMonitor: 'code=200, example=carReadSucceeded' });
      const built = await client.POST('/cars', { body: car, headers: { Prefer: 'wait=10' } });
      const carPath = built.response.headers.get('Location') ?? '';
      expect(built.response.status).toBe(201);
      const carId = carPath.split('/').at(-1) ?? '';
      const accepted = await client.GET('/cars/{carId}', {
        params: { path: { carId }, header: { Prefer: 'respond-async' } },
      });
      expectAccepted(accepted.response);
      // Prism echoes the header's example (`wait=10`) whatever was asked.
      if (target.name !== 'prism-mock')
        expect(accepted.response.headers.get('Preference-Applied')).toMatch(/respond-async/);
      expect(accepted.data).toMatchObject({ kind: 'car.read' });
      const read = await waitFor(client, accepted, quickly);
      expect(read).toMatchObject({ vin: expect.any(String) });
      if (target.name === 'server') expect(read.links.self.href).toBe(carPath);
    },
  },
  {
    name: 'Prefer: wait=N on the request answers the final outcome when it finishes in time',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=201' });
      const { response, data } = await client.POST('/cars', { body: car, headers: { Prefer: 'wait=10' } });
      expect(response.status).toBe(201);
      expect(response.headers.get('Location')).toMatch(/^\/cars\/car_/);
      expect(response.headers.get('Content-Location')).toMatch(/^\/monitors\/op_/);
      expect(response.headers.get('Preference-Applied')).toMatch(/wait=\d+/);
      expect(data).toMatchObject({
        state: 'succeeded',
        links: { product: { href: response.headers.get('Location') } },
      });
    },
  },
  {
    name: 'a long poll (Prefer: wait=N, If-None-Match) answers as soon as the monitor changes, echoing Preference-Applied',
    targets: stateful,
    async run({ client }) {
      const { data, response } = await client.POST('/virtual-machines', {
        body: { configuration: { os: 'FreeBSD', ram: '8GB', storage: '64GB' } },
      });
      const monitorPath = data?.links.self.href ?? '';
      // The 202's ETag is the monitor's as accepted: the first long poll can be conditional at once.
      const etag = response.headers.get('ETag') ?? '';
      expect(etag).not.toBe('');
      const held = await client.fetchLink(monitorPath, { headers: { Prefer: 'wait=10', 'If-None-Match': etag } });
      expect(held.status).not.toBe(304);
      expect(held.headers.get('Preference-Applied')).toBe('wait=10');
      expect(held.headers.get('ETag')).not.toBe(etag);
      await held.body?.cancel();
    },
  },
  {
    name: 'a conditional GET of a finished monitor that still matches answers 304 with its ETag',
    targets: stateful,
    async run({ client }) {
      const { data } = await client.POST('/cars', { body: car, headers: { Prefer: 'wait=10' } });
      const monitorPath = data?.links.self.href ?? '';
      const finished = await client.fetchLink(monitorPath);
      const etag = finished.headers.get('ETag') ?? '';
      const again = await client.fetchLink(monitorPath, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('ETag')).toBe(etag);
    },
  },
  {
    name: 'a failed operation: waitFor rejects with OperationFailedError carrying the monitor’s problem',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=202', getMonitor: 'code=200, example=failed' });
      // The server's paint shop never has Ultraviolet; the stateful mock ends in the example named in Prefer.
      const accepted = await client.POST('/cars', {
        body: { ...car, color: 'Ultraviolet' },
        headers: target.name === 'stateful-mock' ? { Prefer: 'example=failed' } : {},
      });
      const failure = await waitFor(client, accepted, quickly).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OperationFailedError);
      expect((failure as OperationFailedError).problem).toMatchObject({
        type: expect.stringMatching(/^https:\/\//),
        status: 500,
      });
    },
  },
  {
    name: 'cancel() stops a running order; waitFor then rejects with OperationCancelledError',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({
        createWidgetOrder: 'code=202',
        cancelMonitor: 'code=202',
        getMonitor: 'code=200, example=widgetOrderCancelled',
      });
      // With manual fulfilment the server's order waits for a confirmation that never comes.
      const accepted = await client.POST('/widget-orders', {
        body: { items: [{ sku: 'WID-RED-07', quantity: 1 }], manualFulfilment: true },
      });
      expectAccepted(accepted.response);
      const monitor = await cancel(client, accepted);
      expect(monitor.state === 'cancelled' || monitor.cancelRequested).toBe(true);
      const outcome = await waitFor(client, accepted, quickly).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(OperationCancelledError);
    },
  },
  {
    name: 'cancelling a finished operation is refused with 409 and a problem',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createCar: 'code=201', cancelMonitor: 'code=409' });
      const { data } = await client.POST('/cars', { body: car, headers: { Prefer: 'wait=10' } });
      const refusal = await cancel(client, data?.links.self.href ?? '').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ApiError);
      expect((refusal as ApiError).status).toBe(409);
      expect((refusal as ApiError).problem).toMatchObject({
        type: 'https://longrun.dev/problems/operation-finished',
        status: 409,
      });
    },
  },
  {
    name: 'one at a time: a second reindex while one is pending gets 409 naming the pending monitor',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ startReindex: 'code=409' });
      let first: Awaited<ReturnType<LongrunClient['POST']>> | undefined;
      let second: Awaited<ReturnType<LongrunClient['POST']>>;
      if (target.name === 'prism-mock') {
        second = await client.POST('/reindex', { body: { scope: 'products' } });
      } else {
        // Sent together, so the first is still pending when the second arrives however fast it runs.
        const answers = await Promise.all([
          client.POST('/reindex', { body: { scope: 'all' } }),
          client.POST('/reindex', { body: { scope: 'products' } }),
        ]);
        expect(answers.map((answer) => answer.response.status).sort()).toEqual([202, 409]);
        [first, second] = answers[0].response.status === 202 ? answers : [answers[1], answers[0]];
        expectAccepted(first.response);
      }
      expect(second.response.status).toBe(409);
      expect(second.response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
      expect(second.response.headers.get('Retry-After')).toMatch(/^\d+$/);
      const problem = second.error as { type: string; monitor: string };
      expect(problem).toMatchObject({
        type: 'https://longrun.dev/problems/operation-pending',
        monitor: expect.stringMatching(/^\/monitors\/op_/),
      });
      expect(linkTarget(second.response.headers.get('Link'), 'monitor')).toBe(problem.monitor);
      if (first !== undefined) {
        expect(problem.monitor).toBe(first.response.headers.get('Location'));
        await waitFor(client, first, quickly);
      }
    },
  },
  {
    name: 'Idempotency-Key: a retry replays the same monitor; the key with another body gets 422',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ createTranscode: 'code=422' });
      const key = `contract-${crypto.randomUUID()}`;
      const body = { source: 'https://media.example.com/raw/b.mov', format: 'mp4', resolution: '480p' } as const;
      if (target.name !== 'prism-mock') {
        const first = await client.POST('/transcodes', { body, headers: { 'Idempotency-Key': key } });
        const retry = await client.POST('/transcodes', { body, headers: { 'Idempotency-Key': key } });
        expect(retry.response.ok).toBe(true);
        expect(retry.data?.id).toBe(first.data?.id);
      }
      const reused = await client.POST('/transcodes', {
        body: { ...body, resolution: '2160p' },
        headers: { 'Idempotency-Key': key },
      });
      expect(reused.response.status).toBe(422);
      expect(reused.error).toMatchObject({ type: 'https://longrun.dev/problems/idempotency-key-reused', status: 422 });
    },
  },
  {
    name: 'an unknown monitor is 404 with a problem',
    targets: everywhere,
    async run({ target, client }) {
      target.direct({ getMonitor: 'code=404' });
      const { response, error } = await client.GET('/monitors/{monitorId}', {
        params: { path: { monitorId: 'op_00000000000000000000000000' } },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
      expect(error).toMatchObject({ type: 'https://longrun.dev/problems/not-found', status: 404 });
    },
  },
  {
    name: 'another tenant’s monitor and product do not exist for the caller (404)',
    targets: stateful,
    async run({ client, otherClient }) {
      const { data } = await client.POST('/cars', { body: car, headers: { Prefer: 'wait=10' } });
      const monitor = await otherClient.fetchLink(data?.links.self.href ?? '');
      expect(monitor.status).toBe(404);
      const product = await otherClient.fetchLink(data?.links.product?.href ?? '');
      expect(product.status).toBe(404);
    },
  },
  {
    name: 'lists monitors by kind, newest first, cursor-paginated with Link rel="next"',
    targets: everywhere,
    async run({ target, client }) {
      if (target.name !== 'prism-mock') {
        for (const resolution of ['480p', '720p', '1080p'] as const) {
          await client.POST('/transcodes', {
            body: { source: 'https://media.example.com/raw/c.mov', format: 'hls', resolution },
          });
        }
      }
      const kind = target.name === 'prism-mock' ? 'reindex' : 'transcode';
      const page = await client.GET('/monitors', { params: { query: { kind, limit: 2 } } });
      expect(page.response.status).toBe(200);
      expect(page.data?.items.length).toBeGreaterThan(0);
      expect(page.data?.items.every((item) => item.kind === kind)).toBe(true);
      const next = page.data?.next;
      expect(next).toMatch(/^\/monitors\?/);
      expect(linkTarget(page.response.headers.get('Link'), 'next')).toBe(next);
      if (target.name !== 'prism-mock') {
        const rest = await client.fetchLink(next ?? '');
        expect(((await rest.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      }
    },
  },
  {
    name: 'the monitor’s events: one server-sent event per change, closed after the terminal one',
    targets: stateful,
    async run({ client }) {
      const { data } = await client.POST('/transcodes', {
        body: { source: 'https://media.example.com/raw/d.mov', format: 'mp4', resolution: '720p' },
      });
      const stream = await client.fetchLink(`${data?.links.self.href}/events`, {
        headers: { Accept: 'text/event-stream' },
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
      const events = (await stream.text())
        .split('\n\n')
        .filter((block) => block.includes('data: '))
        .map((block) => ({
          id: Number(/^id: (\d+)$/m.exec(block)?.[1]),
          monitor: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as { state: string },
        }));
      // How many changes a stream catches depends on when it opens; it always ends with the terminal one.
      expect(events.length).toBeGreaterThan(0);
      const ids = events.map((event) => event.id);
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
      expect(events.at(-1)?.monitor.state).toBe('succeeded');
    },
  },
  {
    name: 'a request without an API key is refused with 401, a problem and WWW-Authenticate',
    targets: everywhere,
    async run({ target }) {
      // Behind the proxy, Prism checks the security requirement itself and answers this one.
      target.allow({ requestViolations: true, prismAnswers: target.name !== 'prism-mock' });
      const anonymous = createClient({ baseUrl: target.url, fetch: target.fetch });
      const { response } = await anonymous.GET('/monitors');
      expect(response.status).toBe(401);
      expect(response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    },
  },
  {
    name: 'a wrong API key is refused by the server with 401 and WWW-Authenticate',
    targets: ['server'],
    async run({ target }) {
      const stranger = createClient({ baseUrl: target.url, apiKey: 'not-a-key', fetch: target.fetch });
      const { response, error } = await stranger.GET('/monitors');
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      expect(error).toMatchObject({ type: 'https://longrun.dev/problems/unauthorized', status: 401 });
    },
  },
];

/**
 * Registers the contract suite for one target: one Prism for the file, one test per scenario, and the
 * check after each that Prism saw no violation.
 */
export function defineContractSuite(name: TargetName): void {
  describe(`the contract, against the ${name} (through Prism)`, () => {
    let target: ContractTarget;
    let client: LongrunClient;
    let otherClient: LongrunClient;

    beforeAll(async () => {
      target = await startTarget(name);
      client = createClient({ baseUrl: target.url, apiKey: target.apiKey, fetch: target.fetch });
      otherClient = createClient({ baseUrl: target.url, apiKey: target.otherApiKey, fetch: target.fetch });
    });
    afterAll(async () => {
      await target?.stop();
    });
    afterEach(() => {
      target.reset();
    });

    for (const scenario of scenarios.filter((candidate) => candidate.targets.includes(name))) {
      it(scenario.name, async () => {
        await scenario.run({ target, client, otherClient });
        expect(target.exchanges.length).toBeGreaterThan(0);
        const objections = target.objections();
        expect(
          objections,
          `Prism objected:\n${describeObjections(objections)}\n\nPrism log:\n${target.prismOutput().slice(-4000)}`,
        ).toEqual([]);
      });
    }
  });
}
