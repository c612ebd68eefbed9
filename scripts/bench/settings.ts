/**
 * What one benchmark run is set to: rounds, durations, sizes. `--quick` shrinks everything for a
 * smoke run of the harness (its figures are not the ones to publish).
 */

/** The knobs of a run. */
export interface BenchSettings {
  /** Measured rounds per figure (interleaved across the servers compared). @default 5 */
  rounds: number;
  /** Seconds of load per round. @default 5 */
  durationSeconds: number;
  /** Seconds of warm-up load per server and route before the rounds. @default 3 */
  warmupSeconds: number;
  /** Concurrent connections of the load generator. @default 10 */
  connections: number;
  /** Operations accepted and run per end-to-end round. @default 2000 */
  endToEndOperations: number;
  /** Operations each `waitFor` mode follows per round (at once). @default 20 */
  waitOperations: number;
  /** Stored operations of the large scale figure. @default 1_000_000 */
  largeStore: number;
  /** Concurrent long polls of the memory figure. @default 10_000 */
  longPolls: number;
  /** Operations done by an outside worker per round (each followed by `waitFor`). @default 500 */
  outsideOperations: number;
  /** Sections to run. @default all */
  sections: readonly SectionName[];
}

/** The parts of the benchmark, in the order they run. */
export const SECTION_NAMES = ['http', 'e2e', 'idle', 'waitfor', 'scale', 'longpoll', 'workers'] as const;
/** One part of the benchmark. */
export type SectionName = (typeof SECTION_NAMES)[number];

/** The settings of a full run. */
export const FULL_RUN: BenchSettings = {
  rounds: 5,
  durationSeconds: 5,
  warmupSeconds: 3,
  connections: 10,
  endToEndOperations: 2_000,
  waitOperations: 20,
  largeStore: 1_000_000,
  longPolls: 10_000,
  outsideOperations: 500,
  sections: SECTION_NAMES,
};

/** A smoke run of the harness: every section, minutes shorter. */
export const QUICK_RUN: BenchSettings = {
  rounds: 2,
  durationSeconds: 1,
  warmupSeconds: 1,
  connections: 10,
  endToEndOperations: 500,
  waitOperations: 5,
  largeStore: 20_000,
  longPolls: 1_000,
  outsideOperations: 100,
  sections: SECTION_NAMES,
};

/** The settings for command-line arguments: `--quick`, `--rounds=N`, `--duration=S`, `--only=http,e2e`… */
export function parseSettings(argv: readonly string[]): BenchSettings {
  let settings: BenchSettings = argv.includes('--quick') ? { ...QUICK_RUN } : { ...FULL_RUN };
  for (const arg of argv) {
    const [name, value = ''] = arg.replace(/^--/, '').split('=');
    const number = Number(value);
    switch (name) {
      case 'quick':
        break;
      case 'rounds':
        settings = { ...settings, rounds: positive(number, arg) };
        break;
      case 'duration':
        settings = { ...settings, durationSeconds: positive(number, arg) };
        break;
      case 'warmup':
        settings = { ...settings, warmupSeconds: positive(number, arg) };
        break;
      case 'connections':
        settings = { ...settings, connections: positive(number, arg) };
        break;
      case 'large-store':
        settings = { ...settings, largeStore: positive(number, arg) };
        break;
      case 'long-polls':
        settings = { ...settings, longPolls: positive(number, arg) };
        break;
      case 'only': {
        const sections = value.split(',').filter((section) => section !== '');
        for (const section of sections) {
          if (!(SECTION_NAMES as readonly string[]).includes(section)) {
            throw new RangeError(`--only takes ${SECTION_NAMES.join(', ')}; got ${section}`);
          }
        }
        settings = { ...settings, sections: sections as SectionName[] };
        break;
      }
      default:
        throw new RangeError(`unknown argument ${arg}`);
    }
  }
  return settings;
}

function positive(value: number, arg: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${arg} needs a positive number`);
  return value;
}
