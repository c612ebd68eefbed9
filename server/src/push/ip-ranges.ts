/**
 * The special-purpose ranges no outbound request may reach — loopback, private, link-local, cloud
 * metadata, documentation, multicast, reserved, and the IPv6 forms that smuggle an IPv4 address
 * (mapped, compatible, NAT64 and 6to4 embed one) — and CIDR ranges to match addresses against.
 * Addresses are read and matched by Node (`net.isIP`, `net.BlockList`); this module holds the
 * table and the order its labels are tried in.
 *
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 */
import { BlockList, isIP } from 'node:net';

/** 4 for IPv4, 6 for IPv6. */
export type AddressFamily = 4 | 6;

/** A CIDR range: `network/prefix`. */
export interface AddressRange {
  family: AddressFamily;
  network: string;
  prefix: number;
}

/** The family of a canonical IPv4 or IPv6 address (no brackets, no zone); undefined when it is not one. */
export function addressFamily(text: string): AddressFamily | undefined {
  // A zone (`fe80::1%eth0`) names an interface: only meaningful for link-local, which is refused.
  if (text.includes('%')) return undefined;
  const family = isIP(text);
  return family === 0 ? undefined : (family as AddressFamily);
}

/**
 * Reads `a.b.c.d/n` or `x::/n` (a bare address is its own /32 or /128).
 *
 * @throws RangeError when `text` is not a range.
 */
export function parseRange(text: string): AddressRange {
  const [network = '', prefixText, ...rest] = text.split('/');
  const family = addressFamily(network);
  if (family === undefined || rest.length > 0) throw new RangeError(`not an IP address or CIDR range: "${text}"`);
  const bits = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if ((prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) || prefix > bits) {
    throw new RangeError(`not a CIDR prefix length: "${text}"`);
  }
  return { family, network, prefix };
}

/**
 * Ranges to match addresses against. Each family is matched only against ranges of its own:
 * `net.BlockList` alone would also match `::ffff:10.0.0.1` against `10.0.0.0/8`, and an IPv4-mapped
 * address must stay refused (as such) even where its IPv4 address is allowed.
 */
export class AddressRanges {
  readonly #lists = { 4: new BlockList(), 6: new BlockList() };

  constructor(ranges: Iterable<AddressRange | string> = []) {
    for (const entry of ranges) {
      const { family, network, prefix } = typeof entry === 'string' ? parseRange(entry) : entry;
      this.#lists[family].addSubnet(network, prefix, `ipv${family}`);
    }
  }

  /** True when `address` (of `family`, as {@link addressFamily} read it) lies in one of the ranges. */
  has(address: string, family: AddressFamily): boolean {
    return this.#lists[family].check(address, `ipv${family}`);
  }
}

/** A range no outbound request may reach, and why (for the error message). */
interface SpecialRange {
  ranges: AddressRanges;
  label: string;
}

/** IPv4 ranges no outbound request may reach; the more specific first, so their label wins. */
const IPV4_TABLE: readonly (readonly [cidr: string, label: string])[] = [
  ['169.254.169.254/32', 'a cloud metadata address'],
  ['169.254.170.2/32', 'a cloud metadata address'],
  ['100.100.100.200/32', 'a cloud metadata address'],
  ['0.0.0.0/8', 'a "this network" address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'an IETF protocol address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.88.99.0/24', 'a 6to4 relay address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
];

/** IPv6 ranges no outbound request may reach. */
const IPV6_TABLE: readonly (readonly [cidr: string, label: string])[] = [
  ['::1/128', 'a loopback address'],
  ['::/128', 'the unspecified address'],
  ['::ffff:0:0/96', 'an IPv4-mapped IPv6 address'],
  ['::/96', 'an IPv4-compatible IPv6 address'],
  ['64:ff9b:1::/48', 'a local-use NAT64 address'],
  ['100::/64', 'a discard-only address'],
  ['2001::/23', 'an IETF protocol address (Teredo and others)'],
  ['2001:db8::/32', 'a documentation address'],
  ['fd00:ec2::254/128', 'a cloud metadata address'],
  ['fc00::/7', 'a unique local (private) address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['ff00::/8', 'a multicast address'],
];

const special = ([cidr, label]: readonly [string, string]): SpecialRange => ({
  ranges: new AddressRanges([cidr]),
  label,
});

/**
 * Every IPv4 range of the table as it sits inside the IPv6 forms that carry an IPv4 address: NAT64
 * (`64:ff9b::a.b.c.d`, RFC 6052, the last 32 bits) and 6to4 (`2002:AABB:CCDD::`, RFC 3056, bits
 * 16–47), so `64:ff9b::7f00:1` is refused as the loopback address it reaches.
 */
function embeddedIPv4(): SpecialRange[] {
  const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
  return IPV4_TABLE.flatMap(([cidr, label]) => {
    const { network, prefix } = parseRange(cidr);
    const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
    return [
      special([`64:ff9b::${network}/${96 + prefix}`, `${label} (embedded in a NAT64 IPv6 address)`]),
      special([`2002:${hex(a, b)}:${hex(c, d)}::/${16 + prefix}`, `${label} (embedded in a 6to4 IPv6 address)`]),
    ];
  });
}

const IPV4_SPECIAL = IPV4_TABLE.map(special);
const IPV6_SPECIAL = [...IPV6_TABLE.map(special), ...embeddedIPv4()];
/** NAT64 addresses of public IPv4 addresses are public; every other IPv6 address must be global unicast. */
const NAT64_OR_GLOBAL_UNICAST = new AddressRanges(['64:ff9b::/96', '2000::/3']);

/**
 * Why no outbound request may reach `address`, or undefined when it is a public address.
 *
 * @param family As {@link addressFamily} read `address`.
 * @example whyForbidden('10.1.2.3', 4) // 'a private address'
 */
export function whyForbidden(address: string, family: AddressFamily): string | undefined {
  const table = family === 4 ? IPV4_SPECIAL : IPV6_SPECIAL;
  const listed = table.find((entry) => entry.ranges.has(address, family))?.label;
  if (listed !== undefined || family === 4) return listed;
  return NAT64_OR_GLOBAL_UNICAST.has(address, 6) ? undefined : 'not a global unicast address';
}
