import { describe, expectTypeOf, test } from 'vitest';
import {
  type AnyMonitor,
  type components,
  createCar,
  createClient,
  createTranscode,
  createVirtualMachine,
  createWidgetOrder,
  getCar,
  getHealth,
  getMonitor,
  startReindex,
  waitFor,
} from './index.ts';

type Schemas = components['schemas'];
const longrun = createClient({ baseUrl: 'https://api.longrun.dev', apiKey: 'key' });
const carSpec = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

describe('waitFor on an openapi-fetch answer is typed from the spec', () => {
  test('POST /cars yields a Car', async () => {
    const accepted = await longrun.POST('/cars', { body: carSpec });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['Car']>();
  });

  test('POST /reindex yields its inline ReindexReport', async () => {
    const accepted = await longrun.POST('/reindex', { body: { scope: 'all' } });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['ReindexReport']>();
  });

  test('POST /transcodes yields an EncodedVideo', async () => {
    const accepted = await longrun.POST('/transcodes', {
      body: { source: 'https://media.example.com/raw/interview.mov', format: 'mp4', resolution: '1080p' },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['EncodedVideo']>();
  });

  test('POST /virtual-machines yields a VirtualMachine', async () => {
    const accepted = await longrun.POST('/virtual-machines', {
      body: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['VirtualMachine']>();
  });

  test('POST /widget-orders yields a WidgetOrder', async () => {
    const accepted = await longrun.POST('/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 2 }], manualFulfilment: false },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['WidgetOrder']>();
  });

  test('GET /cars/{carId} with Prefer: respond-async yields the Car result', async () => {
    const accepted = await longrun.GET('/cars/{carId}', {
      params: { path: { carId: 'car_01JABCDEF0123456789ABCDEFH' }, header: { Prefer: 'respond-async' } },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['Car']>();
  });

  test('GET /monitors/{monitorId} yields any kind of outcome', async () => {
    const monitor = await longrun.GET('/monitors/{monitorId}', {
      params: { path: { monitorId: 'op_01JABCDEF01234' } },
    });
    expectTypeOf(await waitFor(longrun, monitor)).toEqualTypeOf<
      | Schemas['Car']
      | Schemas['ReindexReport']
      | Schemas['EncodedVideo']
      | Schemas['VirtualMachine']
      | Schemas['WidgetOrder']
    >();
  });

  test('onProgress receives the monitor of the operation kind', async () => {
    const accepted = await longrun.POST('/cars', { body: carSpec });
    await waitFor(longrun, accepted, {
      onProgress: (monitor) => expectTypeOf(monitor.kind).toEqualTypeOf<'car.create'>(),
    });
  });
});

describe('waitFor on a hey-api SDK answer is typed the same way', () => {
  const client = longrun.sdkClient;

  test('createCar yields a Car', async () => {
    expectTypeOf(await waitFor(longrun, await createCar({ client, body: carSpec }))).toEqualTypeOf<Schemas['Car']>();
  });

  test('startReindex yields a ReindexReport', async () => {
    const accepted = await startReindex({ client, body: { scope: 'cars' } });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['ReindexReport']>();
  });

  test('createTranscode yields an EncodedVideo', async () => {
    const accepted = await createTranscode({
      client,
      body: { source: 'https://media.example.com/raw/a.mov', format: 'webm', resolution: '720p' },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['EncodedVideo']>();
  });

  test('createVirtualMachine yields a VirtualMachine', async () => {
    const accepted = await createVirtualMachine({
      client,
      body: { configuration: { os: 'FreeBSD', ram: '8GB', storage: '64GB' } },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['VirtualMachine']>();
  });

  test('createWidgetOrder yields a WidgetOrder', async () => {
    const accepted = await createWidgetOrder({
      client,
      body: { items: [{ sku: 'WID-RED-07', quantity: 1 }], manualFulfilment: true },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['WidgetOrder']>();
  });

  test('getCar with respond-async yields the Car result', async () => {
    const accepted = await getCar({
      client,
      path: { carId: 'car_01JABCDEF0123456789ABCDEFH' },
      headers: { Prefer: 'respond-async' },
    });
    expectTypeOf(await waitFor(longrun, accepted)).toEqualTypeOf<Schemas['Car']>();
  });

  test('a monitor on its own (responseStyle data) yields its kind’s outcome', async () => {
    const monitor = await startReindex({ client, body: { scope: 'all' }, responseStyle: 'data', throwOnError: true });
    expectTypeOf(await waitFor(longrun, monitor)).toEqualTypeOf<Schemas['ReindexReport']>();
  });
});

describe('a resumed wait is typed by the kind named', () => {
  test('a monitor URL with a kind yields that kind’s outcome', async () => {
    expectTypeOf(await waitFor<'transcode'>(longrun, '/monitors/op_1')).toEqualTypeOf<Schemas['EncodedVideo']>();
  });

  test('a monitor URL without a kind yields unknown, and reports any monitor', async () => {
    const outcome = await waitFor(longrun, new URL('https://api.longrun.dev/monitors/op_1'), {
      onProgress: (monitor) => expectTypeOf(monitor).toEqualTypeOf<AnyMonitor>(),
    });
    expectTypeOf(outcome).toBeUnknown();
  });
});

describe('mistakes fail to compile', () => {
  test('an unknown path', () => {
    // @ts-expect-error '/carz' is not a path of the spec
    void longrun.POST('/carz', { body: carSpec });
  });

  test('a body that does not match the schema', () => {
    // @ts-expect-error model is an integer year
    void longrun.POST('/cars', { body: { ...carSpec, model: '2014' } });
    // @ts-expect-error color is required
    void longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014 } });
    // @ts-expect-error the SDK function checks the body too
    void createCar({ client: longrun.sdkClient, body: { brand: 'Ford' } });
  });

  test('waiting on the answer of a synchronous operation', async () => {
    const health = await longrun.GET('/healthz');
    // @ts-expect-error GET /healthz is not an async operation: its data is no monitor
    void waitFor(longrun, health);
    // @ts-expect-error nor is the SDK's getHealth
    void waitFor(longrun, await getHealth({ client: longrun.sdkClient }));
  });

  test('a kind that does not exist', () => {
    // @ts-expect-error 'car.destroy' is no kind of the spec
    void waitFor<'car.destroy'>(longrun, '/monitors/op_1');
  });

  test('an onProgress that expects another kind of monitor', async () => {
    const accepted = await longrun.POST('/cars', { body: carSpec });
    // @ts-expect-error a car's monitor is never a reindex monitor
    await waitFor(longrun, accepted, { onProgress: (monitor: Schemas['ReindexMonitor']) => monitor });
  });

  test('the monitor kind stays readable from the generated SDK', async () => {
    const monitor = await getMonitor({ client: longrun.sdkClient, path: { monitorId: 'op_1' } });
    expectTypeOf(await waitFor(longrun, monitor)).not.toBeUnknown();
  });
});
