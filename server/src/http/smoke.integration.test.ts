import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// The first request compiles the validator's schemas: seconds on a small, busy machine.
describe('a car ordered over HTTP', { timeout: 20_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('is accepted with 202 and its monitor ends 201 → the car', async () => {
    const accepted = await fetch(`${t.url}/cars`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' }),
    });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location');
    expect(location).toMatch(/^\/monitors\/op_/);
    const done = await fetch(`${t.url}${location}`, { headers: t.headers(undefined, { Prefer: 'wait=5' }) });
    let monitor = await done.json();
    for (let i = 0; i < 500 && monitor.state !== 'succeeded'; i += 1) {
      monitor = await (
        await fetch(`${t.url}${location}`, { headers: t.headers(undefined, { Prefer: 'wait=5' }) })
      ).json();
    }
    const final = await fetch(`${t.url}${location}`, { headers: t.headers() });
    expect(final.status).toBe(201);
    const car = await (await fetch(`${t.url}${final.headers.get('location')}`, { headers: t.headers() })).json();
    expect(car).toMatchObject({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' });
  });
});
