/**
 * The SSRF guard every outbound URL (webhook endpoint, callback) passes: it parses the URL the way
 * the HTTP client will (WHATWG URL, which turns `2130706433`, `0x7f.1` and `017700000001` into
 * `127.0.0.1`), refuses schemes other than http(s), credentials in the URL, names of local and
 * metadata hosts, and every address that is not public, then resolves the name and checks every
 * address it resolves to. The caller connects to the address that was checked (so a DNS answer
 * cannot change in between) and follows no redirect.
 *
 * An operator allowlist (`LONGRUN_OUTBOUND_ALLOW`: addresses, CIDR ranges, host names) lets
 * chosen internal receivers through, e.g. `127.0.0.1` for tests.
 *
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
 */
import { lookup } from 'node:dns/promises';
import { LongrunServerError } from '../operations/longrun-server-error.ts';
import {
  type AddressFamily,
  type AddressRange,
  AddressRanges,
  addressFamily,
  parseRange,
  whyForbidden,
} from './ip-ranges.ts';

/** A URL that passed the guard, and the address to connect to. */
export interface CheckedTarget {
  url: URL;
  /** The host name or address without IPv6 brackets (`Host`, TLS server name). */
  hostname: string;
  /** The checked address to connect to. */
  address: string;
  family: 4 | 6;
}

/** Thrown for a URL the guard refuses; `message` says why, fit to show the caller. */
export class OutboundRefusedError extends LongrunServerError {
  override readonly name = 'OutboundRefusedError';
  readonly code = 'outbound-refused';
  readonly url: string;
  constructor(url: string, reason: string) {
    super(reason);
    this.url = url;
  }
}

/** Resolves a host name to its addresses (`dns.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

/** How an {@link OutboundGuard} is built. */
export interface OutboundGuardOptions {
  /**
   * What the operator allows although it is not public: addresses, CIDR ranges and host names,
   * comma-separated or as a list (`LONGRUN_OUTBOUND_ALLOW`). @default nothing
   */
  allow?: string | readonly string[] | undefined;
  /** @default `dns.promises.lookup(name, { all: true, verbatim: true })` */
  resolve?: ResolveHost | undefined;
  /** How long a name may take to resolve. @default 5_000 */
  resolveTimeoutMs?: number | undefined;
}

/** Host names that name this machine, its network, or a cloud metadata service. */
const LOCAL_NAMES = new Set(['localhost', 'metadata', 'metadata.goog', 'instance-data', 'kubernetes.default']);
/** Suffixes of names that are local by definition (RFC 6761, RFC 6762, RFC 8375, ICANN `.internal`). */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.home.arpa', '.svc', '.cluster.local'];

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Parses `LONGRUN_OUTBOUND_ALLOW`: comma- or space-separated addresses, CIDR ranges and host names.
 *
 * @throws RangeError naming the entry that is none of them.
 * @example parseOutboundAllow('127.0.0.1, 10.0.0.0/8, hooks.internal')
 */
export function parseOutboundAllow(value: string | readonly string[] | undefined): {
  ranges: AddressRange[];
  names: Set<string>;
} {
  const entries = (typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []))
    .map((entry) => entry.trim())
    .filter(Boolean);
  const ranges: AddressRange[] = [];
  const names = new Set<string>();
  for (const entry of entries) {
    const bare = entry.replace(/^\[(.*)\](\/\d+)?$/, '$1$2');
    if (addressFamily(bare.split('/')[0] ?? '') !== undefined) {
      ranges.push(parseRange(bare));
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry)) {
      names.add(normalizeName(entry));
    } else {
      throw new RangeError(`LONGRUN_OUTBOUND_ALLOW: "${entry}" is not an IP address, a CIDR range or a host name`);
    }
  }
  return { ranges, names };
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Decides whether an outbound URL may be requested, and where to connect.
 *
 * @example
 * const guard = new OutboundGuard({ allow: config.outboundAllow });
 * const target = await guard.check('https://hooks.example.com/longrun'); // or throws OutboundRefusedError
 */
export class OutboundGuard {
  readonly #ranges: AddressRanges;
  readonly #names: Set<string>;
  readonly #resolve: ResolveHost;
  readonly #resolveTimeoutMs: number;

  constructor(options: OutboundGuardOptions = {}) {
    const { ranges, names } = parseOutboundAllow(options.allow);
    this.#ranges = new AddressRanges(ranges);
    this.#names = names;
    this.#resolve = options.resolve ?? systemResolve;
    this.#resolveTimeoutMs = options.resolveTimeoutMs ?? 5_000;
  }

  /**
   * Checks `rawUrl` and resolves its host: the target to connect to.
   *
   * @throws OutboundRefusedError saying why the URL is refused.
   */
  async check(rawUrl: string): Promise<CheckedTarget> {
    const url = this.#parse(rawUrl);
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = addressFamily(hostname);
    if (literal !== undefined) {
      this.#checkAddress(rawUrl, hostname, hostname, literal);
      return { url, hostname, address: hostname, family: literal };
    }
    if (hostname.includes('%')) throw new OutboundRefusedError(rawUrl, 'the host may not name a network interface');
    const name = normalizeName(hostname);
    const nameAllowed = this.#names.has(name);
    if (!nameAllowed && (LOCAL_NAMES.has(name) || LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix)))) {
      throw new OutboundRefusedError(rawUrl, `${name} names a local or metadata host`);
    }
    const addresses = await this.#lookup(rawUrl, name);
    let chosen: { address: string; family: 4 | 6 } | undefined;
    for (const { address } of addresses) {
      const family = addressFamily(address);
      if (family === undefined) throw new OutboundRefusedError(rawUrl, `${name} resolves to an unusable address`);
      // Every address must pass, not just the first: a name may resolve to a public and a private one.
      if (!nameAllowed) this.#checkAddress(rawUrl, `${name} resolves to ${address}, which`, address, family);
      chosen ??= { address, family };
    }
    if (chosen === undefined) throw new OutboundRefusedError(rawUrl, `${name} does not resolve`);
    return { url, hostname, ...chosen };
  }

  #parse(rawUrl: string): URL {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new OutboundRefusedError(rawUrl, 'not an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundRefusedError(rawUrl, `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new OutboundRefusedError(rawUrl, 'the URL may not carry credentials');
    }
    if (url.hostname === '') throw new OutboundRefusedError(rawUrl, 'the URL has no host');
    return url;
  }

  #checkAddress(rawUrl: string, subject: string, address: string, family: AddressFamily): void {
    if (this.#ranges.has(address, family)) return;
    const reason = whyForbidden(address, family);
    if (reason !== undefined) throw new OutboundRefusedError(rawUrl, `${subject} is ${reason}`);
  }

  async #lookup(rawUrl: string, name: string): Promise<readonly { address: string; family: number }[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OutboundRefusedError(rawUrl, `${name} did not resolve in time`)),
        this.#resolveTimeoutMs,
      );
    });
    try {
      return await Promise.race([this.#resolve(name), timeout]);
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw error;
      const code = (error as { code?: string }).code;
      throw new OutboundRefusedError(rawUrl, `${name} does not resolve${code ? ` (${code})` : ''}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
