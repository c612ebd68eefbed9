/**
 * `pnpm mock`: a mock of the longrun API on http://127.0.0.1:4010 (`PORT`, `HOST` override).
 *
 *   pnpm mock                        Prism (`prism mock --errors`) answering the spec's examples; ask for a
 *                                    status and example with `Prefer: code=202, example=running`; a plain
 *                                    request that starts an operation gets its 202, as from the server
 *   pnpm mock --dynamic              Prism generating bodies from the schemas instead
 *   pnpm mock --stateful             the stateful mock: monitors move queued → running → succeeded, then
 *                                    link their product; every request is validated against the spec in
 *                                    process (an invalid one gets the contract's 400 problem)
 *   pnpm mock --stateful --proxy     … validated by `prism proxy --errors` instead: requests and answers,
 *                                    at a fraction of the throughput
 *   pnpm mock --stateful --duration 10000   operations take 10 s (default 5000 ms)
 *   pnpm mock --stateful --bare      the stateful mock alone, without Prism in front
 *   pnpm mock --spec api.yaml        any of these for another spec (what `longrun mock` runs)
 *
 * See docs/mock.md.
 */
import { mockMain } from './mock/mock-main.ts';

process.exitCode = await mockMain(
  process.argv.slice(2),
  'pnpm mock [--spec api.yaml] [--dynamic] | pnpm mock --stateful [--duration <ms>] [--bare | --proxy]   (PORT, HOST; see docs/mock.md)',
);
