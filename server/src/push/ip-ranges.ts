/**
 * IP addresses as numbers, CIDR ranges, and the special-purpose ranges no outbound request may
 * reach: loopback, private, link-local, cloud metadata, documentation, multicast, reserved, and the
 * IPv6 forms that smuggle an IPv4 address (mapped, compatible, NAT64 and 6to4 embed one).
 *
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 */
import { isIP } from 'node:net';

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

/** A CIDR range. */
export interface AddressRange {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Parses a canonical IPv4 or IPv6 address (no brackets, no zone); undefined when it is not one. */
export function parseAddress(text: string): ParsedAddress | undefined {
  const family = isIP(text);
  if (family === 4) return { family: 4, value: parseIPv4(text) };
  if (family === 6) {
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  return undefined;
}

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function parseIPv6(text: string): bigint | undefined {
  // A zone (`fe80::1%eth0`) names an interface: only meaningful for link-local, which is refused.
  if (text.includes('%')) return undefined;
  let words: number[] = [];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toWords = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        if (isIP(piece) !== 4) return undefined;
        const v4 = Number(parseIPv4(piece));
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = toWords(halves[0] ?? '');
  const tail = halves.length === 2 ? toWords(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 2) words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  else words = head;
  if (words.length !== 8) return undefined;
  return words.reduce((value, word) => (value << 16n) | BigInt(word), 0n);
}

/**
 * Parses `a.b.c.d/n` or `x::/n` (a bare address is its own /32 or /128).
 *
 * @throws RangeError when `text` is not a range.
 */
export function parseRange(text: string): AddressRange {
  const [address = '', prefixText] = text.split('/');
  const parsed = parseAddress(address);
  if (parsed === undefined) throw new RangeError(`not an IP address or CIDR range: "${text}"`);
  const bits = parsed.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > bits ||
    (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
  ) {
    throw new RangeError(`not a CIDR prefix length: "${text}"`);
  }
  return { family: parsed.family, base: mask(parsed.value, prefix, bits), prefix };
}

/** True when `address` lies in `range`. */
export function inRange(address: ParsedAddress, range: AddressRange): boolean {
  if (address.family !== range.family) return false;
  const bits = address.family === 4 ? 32 : 128;
  return mask(address.value, range.prefix, bits) === range.base;
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

interface SpecialRange {
  range: AddressRange;
  /** Why it is refused, for the error message. */
  label: string;
}

const special = (cidr: string, label: string): SpecialRange => ({ range: parseRange(cidr), label });

/** IPv4 ranges no outbound request may reach; the more specific first, so their label wins. */
const IPV4_SPECIAL: readonly SpecialRange[] = [
  special('169.254.169.254/32', 'a cloud metadata address'),
  special('169.254.170.2/32', 'a cloud metadata address'),
  special('100.100.100.200/32', 'a cloud metadata address'),
  special('0.0.0.0/8', 'a "this network" address'),
  special('10.0.0.0/8', 'a private address'),
  special('100.64.0.0/10', 'a shared (carrier-grade NAT) address'),
  special('127.0.0.0/8', 'a loopback address'),
  special('169.254.0.0/16', 'a link-local address'),
  special('172.16.0.0/12', 'a private address'),
  special('192.0.0.0/24', 'an IETF protocol address'),
  special('192.0.2.0/24', 'a documentation address'),
  special('192.88.99.0/24', 'a 6to4 relay address'),
  special('192.168.0.0/16', 'a private address'),
  special('198.18.0.0/15', 'a benchmarking address'),
  special('198.51.100.0/24', 'a documentation address'),
  special('203.0.113.0/24', 'a documentation address'),
  special('224.0.0.0/4', 'a multicast address'),
  special('240.0.0.0/4', 'a reserved address'),
];

/** IPv6 ranges no outbound request may reach. */
const IPV6_SPECIAL: readonly SpecialRange[] = [
  special('::1/128', 'a loopback address'),
  special('::/128', 'the unspecified address'),
  special('::ffff:0:0/96', 'an IPv4-mapped IPv6 address'),
  special('::/96', 'an IPv4-compatible IPv6 address'),
  special('64:ff9b:1::/48', 'a local-use NAT64 address'),
  special('100::/64', 'a discard-only address'),
  special('2001::/23', 'an IETF protocol address (Teredo and others)'),
  special('2001:db8::/32', 'a documentation address'),
  special('fd00:ec2::254/128', 'a cloud metadata address'),
  special('fc00::/7', 'a unique local (private) address'),
  special('fe80::/10', 'a link-local address'),
  special('fec0::/10', 'a site-local address'),
  special('ff00::/8', 'a multicast address'),
];

/** Ranges of IPv6 that carry an IPv4 address, which must be public too. */
const NAT64 = parseRange('64:ff9b::/96');
const SIX_TO_FOUR = parseRange('2002::/16');
const GLOBAL_UNICAST = parseRange('2000::/3');

/**
 * Why no outbound request may reach `address`, or undefined when it is a public address.
 *
 * @example whyForbidden(parseAddress('10.1.2.3')!) // 'a private address'
 */
export function whyForbidden(address: ParsedAddress): string | undefined {
  if (address.family === 4) return IPV4_SPECIAL.find((entry) => inRange(address, entry.range))?.label;
  const listed = IPV6_SPECIAL.find((entry) => inRange(address, entry.range))?.label;
  if (listed !== undefined) return listed;
  if (inRange(address, NAT64)) return embedded(address.value & 0xffffffffn, 'NAT64');
  if (inRange(address, SIX_TO_FOUR)) return embedded((address.value >> 80n) & 0xffffffffn, '6to4');
  if (!inRange(address, GLOBAL_UNICAST)) return 'not a global unicast address';
  return undefined;
}

function embedded(v4: bigint, via: string): string | undefined {
  const reason = whyForbidden({ family: 4, value: v4 });
  return reason === undefined ? undefined : `${reason} (embedded in a ${via} IPv6 address)`;
}
