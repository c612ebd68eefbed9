/**
 * Opaque, URL-safe, time-sortable ids (`op_01j9…`), in the spirit of ULID.
 *
 * An id is a prefix, `_`, ten characters of millisecond time and sixteen of randomness (80 bits),
 * in lower-case Crockford base32. That alphabet is in ascending ASCII order, so ids sort by
 * creation time as plain strings (SQL `ORDER BY id`), which lists "newest first" without a second
 * column. Ids made in the same millisecond (or when the clock steps back) stay strictly increasing
 * within a process: the random part grows by a random step instead of being redrawn.
 *
 * @see https://github.com/ulid/spec
 * @see https://www.crockford.com/base32.html
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const RANDOM_LIMIT = 1n << 80n;
/** Largest time ten base32 characters hold (year 10889): ULID's bound. */
const MAX_TIME = 2 ** 48 - 1;

/** The prefix of operation ids. */
export const OPERATION_ID_PREFIX = 'op';

let lastTime = -1;
let lastRandom = 0n;

/**
 * A new id `${prefix}_…`, sortable by `now` (then by generation order within this process).
 *
 * @param prefix Lower-case letters naming what the id identifies (`op`, `car`, `prd`).
 * @param now Creation time. @default the current time
 */
export function newId(prefix: string, now: Date | number = Date.now()): string {
  if (!/^[a-z][a-z0-9]*$/.test(prefix))
    throw new RangeError(`id prefix must be lower-case letters and digits: ${prefix}`);
  let time = typeof now === 'number' ? now : now.getTime();
  if (!Number.isInteger(time) || time < 0 || time > MAX_TIME) throw new RangeError(`id time out of range: ${time}`);
  let random: bigint;
  if (time <= lastTime) {
    // Same millisecond or a clock step back: stay monotonic with an unguessable step.
    time = lastTime;
    random = lastRandom + BigInt(randomUint32()) + 1n;
    if (random >= RANDOM_LIMIT) {
      time += 1;
      random = freshRandom();
    }
  } else {
    random = freshRandom();
  }
  lastTime = time;
  lastRandom = random;
  return `${prefix}_${encodeTime(time)}${encodeRandom(random)}`;
}

/** A new operation id (`op_…`). @see newId */
export function newOperationId(now: Date | number = Date.now()): string {
  return newId(OPERATION_ID_PREFIX, now);
}

function freshRandom(): bigint {
  // Top bit clear leaves 2^79 increments of headroom before the random part overflows.
  const bytes = randomSlice(10);
  let value = BigInt((bytes[0] ?? 0) & 0x7f);
  for (let i = 1; i < 10; i++) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

/**
 * Random bytes for ids, taken from a pool the CSPRNG refills 4 KiB at a time (as Node's own
 * `randomUUID` does): one `randomBytes` call per id cost about 15 µs of a server's accept.
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** The next `length` unused bytes of the pool (each byte is handed out once). */
function randomSlice(length: number): Buffer {
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return slice;
}

function randomUint32(): number {
  return randomSlice(4).readUInt32BE(0);
}

function encodeTime(time: number): string {
  let out = '';
  let rest = time;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(random: bigint): string {
  let out = '';
  let rest = random;
  for (let i = 0; i < RANDOM_CHARS; i++) {
    out = ALPHABET.charAt(Number(rest % 32n)) + out;
    rest /= 32n;
  }
  return out;
}
