import { describe, expect, it } from 'vitest';
import { inRange, parseAddress, parseRange, whyForbidden } from './ip-ranges.ts';

function reason(address: string): string | undefined {
  const parsed = parseAddress(address);
  if (parsed === undefined) throw new Error(`not an address: ${address}`);
  return whyForbidden(parsed);
}

describe('parseAddress', () => {
  it('reads IPv4 and every IPv6 notation as the same number', () => {
    expect(parseAddress('127.0.0.1')).toStrictEqual({ family: 4, value: 0x7f000001n });
    expect(parseAddress('::ffff:127.0.0.1')).toStrictEqual(parseAddress('::ffff:7f00:1'));
    expect(parseAddress('0:0:0:0:0:0:0:1')).toStrictEqual(parseAddress('::1'));
    expect(parseAddress('2001:db8::')?.value).toBe(0x20010db8n << 96n);
  });

  it('refuses what is not a canonical address, and zoned IPv6', () => {
    for (const text of ['localhost', '127.1', '0x7f.0.0.1', '1.2.3.4.5', 'fe80::1%eth0', '[::1]', '']) {
      expect(parseAddress(text), text).toBeUndefined();
    }
  });
});

/** `text` parsed, which must be an address. */
function address(text: string) {
  const parsed = parseAddress(text);
  if (parsed === undefined) throw new Error(`not an address: ${text}`);
  return parsed;
}

describe('parseRange', () => {
  it('reads CIDR ranges and bare addresses, and matches addresses in them', () => {
    const tens = parseRange('10.0.0.0/8');
    expect(inRange(address('10.255.1.2'), tens)).toBe(true);
    expect(inRange(address('11.0.0.1'), tens)).toBe(false);
    expect(inRange(address('::ffff:10.0.0.1'), tens)).toBe(false);
    expect(inRange(address('127.0.0.1'), parseRange('127.0.0.1'))).toBe(true);
    expect(inRange(address('fd12::1'), parseRange('fc00::/7'))).toBe(true);
  });

  it('throws for what is not a range', () => {
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/x', 'example.com/8', '10.0.0.0/-1']) {
      expect(() => parseRange(text), text).toThrow(RangeError);
    }
  });
});

describe('whyForbidden', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['0.0.0.0', 'a "this network" address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['169.254.170.2', 'a cloud metadata address'],
    ['100.100.100.200', 'a cloud metadata address'],
    ['169.254.1.1', 'a link-local address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['192.0.2.10', 'a documentation address'],
    ['198.18.0.1', 'a benchmarking address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'the unspecified address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped IPv6 address'],
    ['::ffff:8.8.8.8', 'an IPv4-mapped IPv6 address'],
    ['::127.0.0.1', 'an IPv4-compatible IPv6 address'],
    ['fe80::1', 'a link-local address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['fc00::1', 'a unique local (private) address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a documentation address'],
    ['2001:0:4136:e378::1', 'an IETF protocol address (Teredo and others)'],
    ['64:ff9b::a00:1', 'a private address (embedded in a NAT64 IPv6 address)'],
    ['64:ff9b::7f00:1', 'a loopback address (embedded in a NAT64 IPv6 address)'],
    ['2002:a9fe:a9fe::1', 'a cloud metadata address (embedded in a 6to4 IPv6 address)'],
    ['4000::1', 'not a global unicast address'],
  ])('refuses %s as %s', (address, expected) => {
    expect(reason(address)).toBe(expected);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('lets the public address %s through', (address) => {
    expect(reason(address)).toBeUndefined();
  });
});
