import { describe, expect, it } from 'vitest';
import { AddressRanges, addressFamily, parseRange, whyForbidden } from './ip-ranges.ts';

function reason(address: string): string | undefined {
  const family = addressFamily(address);
  if (family === undefined) throw new Error(`not an address: ${address}`);
  return whyForbidden(address, family);
}

describe('addressFamily', () => {
  it('reads IPv4 and every IPv6 notation', () => {
    expect(addressFamily('127.0.0.1')).toBe(4);
    for (const text of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:0:0:1', '::1', '2001:db8::']) {
      expect(addressFamily(text), text).toBe(6);
    }
  });

  it('refuses what is not a canonical address, and zoned IPv6', () => {
    for (const text of ['localhost', '127.1', '0x7f.0.0.1', '1.2.3.4.5', 'fe80::1%eth0', '[::1]', '']) {
      expect(addressFamily(text), text).toBeUndefined();
    }
  });
});

/** Whether `text`, which must be an address, lies in `ranges`. */
function within(ranges: AddressRanges, text: string): boolean {
  const family = addressFamily(text);
  if (family === undefined) throw new Error(`not an address: ${text}`);
  return ranges.has(text, family);
}

describe('parseRange and AddressRanges', () => {
  it('read CIDR ranges and bare addresses, and match addresses in them, whatever their notation', () => {
    const tens = new AddressRanges(['10.0.0.0/8']);
    expect(within(tens, '10.255.1.2')).toBe(true);
    expect(within(tens, '11.0.0.1')).toBe(false);
    expect(within(tens, '::ffff:10.0.0.1')).toBe(false);
    expect(within(new AddressRanges(['127.0.0.1']), '127.0.0.1')).toBe(true);
    expect(within(new AddressRanges(['fc00::/7']), 'fd12::1')).toBe(true);
    expect(within(new AddressRanges(['::1']), '0:0:0:0:0:0:0:1')).toBe(true);
    expect(within(new AddressRanges(['::ffff:7f00:1']), '::ffff:127.0.0.1')).toBe(true);
    expect(within(new AddressRanges(['::ffff:0:0/96']), '127.0.0.1')).toBe(false);
    expect(within(new AddressRanges(['2001:db8::/32']), '2001:db8:ffff::1')).toBe(true);
  });

  it('throws for what is not a range', () => {
    for (const text of ['10.0.0.0/33', '::/129', '10.0.0.0/x', 'example.com/8', '10.0.0.0/-1', '10.0.0.0/8/8']) {
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
