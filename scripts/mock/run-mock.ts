/**
 * Starts a mock of a spec the way `pnpm mock` and `longrun mock` offer it: Prism answering the
 * spec's examples (behind the front that makes a plain request to a long-running operation answer
 * `202`), or the stateful mock: validated in process (the default), by `prism proxy`, or bare.
 */
import { loadBundledSpec, specPath as referenceSpecPath } from '@longrun/openapi';
import { bundleSpec } from '../generate/bundle-spec.ts';
import { startAcceptingFront } from './accepting-front.ts';
import { startPrism } from './prism-process.ts';
import { SpecIndex } from './spec-index.ts';
import { startStatefulMock } from './stateful-mock.ts';
import { startValidatedStatefulMock } from './validated-stateful-mock.ts';

/** Which mock, of which spec, where. */
export interface MockOptions {
  /** Absolute path of the spec. @default the reference spec of `@longrun/openapi` */
  spec?: string;
  /** The stateful mock instead of Prism's examples. */
  stateful: boolean;
  /** Stateful only: without validation (the mock trusts every request). */
  bare: boolean;
  /** Stateful only: validated by `prism proxy` in another process (requests and answers) instead of in process. */
  proxy: boolean;
  /** Prism only: bodies generated from the schemas. */
  dynamic: boolean;
  /** Stateful only: time from acceptance to the outcome. */
  durationMs: number;
  port: number;
  host: string;
}

/** A running mock. */
export interface RunningMock {
  readonly url: string;
  /** One line saying what answers on `url`. */
  readonly description: string;
  /** Stops every process and server it started. */
  stop(): Promise<void>;
}

/** Starts the mock `options` ask for; Prism's log goes to this process's output. */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const spec = options.spec ?? referenceSpecPath;
  const document = options.spec === undefined ? await loadBundledSpec() : await bundleSpec(options.spec);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const each of stops.reverse()) await each().catch(() => undefined);
  };
  try {
    if (!options.stateful) {
      const prism = await startPrism({ mode: 'mock', spec, dynamic: options.dynamic, inheritOutput: true });
      stops.push(prism.stop);
      const front = await startAcceptingFront(new SpecIndex(document), prism.url, options);
      stops.push(front.close);
      return {
        url: front.url,
        description: `Prism, answering the spec's examples; directives: Prefer: code=…, example=…, dynamic=true`,
        stop,
      };
    }
    const durationNote = `operations finish ${options.durationMs} ms after acceptance`;
    if (!options.bare && !options.proxy) {
      const mock = await startValidatedStatefulMock({
        durationMs: options.durationMs,
        port: options.port,
        host: options.host,
        document,
      });
      stops.push(mock.close);
      return {
        url: mock.url,
        description: `the stateful mock, requests validated against the spec; ${durationNote}`,
        stop,
      };
    }
    if (options.bare) {
      const mock = await startStatefulMock({
        durationMs: options.durationMs,
        port: options.port,
        host: options.host,
        document,
      });
      stops.push(mock.close);
      return { url: mock.url, description: `the stateful mock; ${durationNote}`, stop };
    }
    const mock = await startStatefulMock({ durationMs: options.durationMs, document });
    stops.push(mock.close);
    const prism = await startPrism({
      mode: 'proxy',
      spec,
      upstream: mock.url,
      port: options.port,
      host: options.host,
      inheritOutput: true,
    });
    stops.push(prism.stop);
    return {
      url: prism.url,
      description: `the stateful mock, validated by Prism (the mock itself is on ${mock.url}); ${durationNote}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
