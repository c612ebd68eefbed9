import { createClient, waitFor } from '@longrun/client';

const longrun = createClient({
  baseUrl: process.env.LONGRUN_BASE_URL ?? 'http://127.0.0.1:3000',
  apiKey: process.env.LONGRUN_API_KEY,
});
const accepted = await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });
const car = await waitFor(longrun, accepted, {
  onProgress: (m) => console.log(m.state, m.progress.percent, m.steps.find((s) => s.state === 'running')?.name),
});
console.log(car.vin); // typed `Car`: the 202's monitor kind ('car.create') maps to its product in the spec
