import { describe, expect, it } from 'vitest';
import { OutboundGuard, OutboundRefusedError, parseOutboundAllow, type ResolveHost } from './ssrf-guard.ts';

/** A resolver with fixed answers: no test here depends on the network's DNS. */
function resolver(answers: Record<string, readonly string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = resolver({
  'hooks.example.com': ['93.184.215.14'],
  'dual.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.com': ['93.184.215.14', '10.0.0.5'],
  'sneaky.example.com': ['169.254.169.254'],
  'v6private.example.com': ['fd00::5'],
  'receiver.test': ['127.0.0.1'],
});

async function refusal(guard: OutboundGuard, url: string): Promise<string> {
  const error = await guard.check(url).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OutboundRefusedError)) throw new Error(`expected ${url} to be refused, got ${String(error)}`);
  return error.message;
}

describe('OutboundGuard', () => {
  const guard = new OutboundGuard({ resolve: dns });

  it.each([
    ['http://127.0.0.1', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
    ['http://localhost', 'localhost names a local or metadata host'],
    ['http://LOCALHOST.:3000', 'localhost names a local or metadata host'],
    ['http://api.localhost', 'api.localhost names a local or metadata host'],
    ['http://[::1]', '::1 is a loopback address'],
    ['http://[0:0:0:0:0:0:0:1]', '::1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
    ['http://2130706433', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001', '127.0.0.1 is a loopback address'],
    ['http://017700000001', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.01', '127.0.0.1 is a loopback address'],
    ['http://127.1', '127.0.0.1 is a loopback address'],
    ['http://０x7f.1', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]', '::ffff:7f00:1 is an IPv4-mapped IPv6 address'],
    ['http://[::ffff:a9fe:a9fe]', '::ffff:a9fe:a9fe is an IPv4-mapped IPv6 address'],
    ['http://10.0.0.1', '10.0.0.1 is a private address'],
    ['http://192.168.1.1', '192.168.1.1 is a private address'],
    ['http://172.16.0.1', '172.16.0.1 is a private address'],
    ['http://0.0.0.0', '0.0.0.0 is a "this network" address'],
    ['http://[fe80::1]', 'fe80::1 is a link-local address'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal names a local or metadata host'],
    ['http://metadata', 'metadata names a local or metadata host'],
    ['http://printer.local', 'printer.local names a local or metadata host'],
    ['http://sneaky.example.com', 'sneaky.example.com resolves to 169.254.169.254, which is a cloud metadata address'],
    ['http://rebind.example.com', 'rebind.example.com resolves to 10.0.0.5, which is a private address'],
    [
      'http://v6private.example.com',
      'v6private.example.com resolves to fd00::5, which is a unique local (private) address',
    ],
    ['http://nowhere.example.com', 'nowhere.example.com does not resolve (ENOTFOUND)'],
    ['file:///etc/passwd', 'the scheme must be http or https, not file'],
    ['ftp://hooks.example.com/', 'the scheme must be http or https, not ftp'],
    ['gopher://hooks.example.com:70/', 'the scheme must be http or https, not gopher'],
    ['javascript:alert(1)', 'the scheme must be http or https, not javascript'],
    ['http://user:pass@hooks.example.com/', 'the URL may not carry credentials'],
    ['/relative/path', 'not an absolute URL'],
  ])('refuses %s: %s', async (url, expected) => {
    expect(await refusal(guard, url)).toBe(expected);
  });

  it('lets a public name through and gives the checked address to connect to', async () => {
    const target = await guard.check('https://hooks.example.com/longrun?x=1');
    expect(target).toMatchObject({ hostname: 'hooks.example.com', address: '93.184.215.14', family: 4 });
    expect(target.url.href).toBe('https://hooks.example.com/longrun?x=1');
  });

  it('checks every address a name resolves to, and connects to the first', async () => {
    expect(await guard.check('http://dual.example.com')).toMatchObject({ address: '93.184.215.14', family: 4 });
  });

  it('lets public address literals through, IPv6 without brackets', async () => {
    expect(await guard.check('http://93.184.215.14:8080/')).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(await guard.check('http://[2606:4700:4700::1111]/')).toMatchObject({
      hostname: '2606:4700:4700::1111',
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it('gives up on a name that takes too long to resolve', async () => {
    const slow = new OutboundGuard({ resolve: () => new Promise(() => {}), resolveTimeoutMs: 1 });
    expect(await refusal(slow, 'http://hooks.example.com')).toBe('hooks.example.com did not resolve in time');
  });

  describe('with an operator allowlist', () => {
    const allowing = new OutboundGuard({ allow: '127.0.0.1, 10.1.0.0/16, [fd00::5], receiver.test', resolve: dns });

    it('lets allowed addresses and ranges through', async () => {
      expect(await allowing.check('http://127.0.0.1:9999/hook')).toMatchObject({ address: '127.0.0.1' });
      expect(await allowing.check('http://10.1.2.3/')).toMatchObject({ address: '10.1.2.3' });
      expect(await allowing.check('http://v6private.example.com/')).toMatchObject({ address: 'fd00::5', family: 6 });
    });

    it('lets an allowed name through whatever it resolves to', async () => {
      expect(await allowing.check('http://receiver.test:8080/')).toMatchObject({
        hostname: 'receiver.test',
        address: '127.0.0.1',
      });
    });

    it('still refuses what it does not name', async () => {
      expect(await refusal(allowing, 'http://127.0.0.2')).toBe('127.0.0.2 is a loopback address');
      expect(await refusal(allowing, 'http://10.2.0.1')).toBe('10.2.0.1 is a private address');
      expect(await refusal(allowing, 'http://[::ffff:127.0.0.1]')).toBe('::ffff:7f00:1 is an IPv4-mapped IPv6 address');
      expect(await refusal(allowing, 'http://localhost')).toBe('localhost names a local or metadata host');
    });
  });
});

describe('parseOutboundAllow', () => {
  it('reads addresses, ranges and names separated by commas or spaces', () => {
    const parsed = parseOutboundAllow('127.0.0.1, ::1  10.0.0.0/8,hooks.internal.');
    expect(parsed.ranges).toHaveLength(3);
    expect([...parsed.names]).toStrictEqual(['hooks.internal']);
    expect(parseOutboundAllow(undefined)).toStrictEqual({ ranges: [], names: new Set() });
  });

  it('names the entry that is none of them', () => {
    expect(() => parseOutboundAllow('127.0.0.1,http://x')).toThrow(
      'LONGRUN_OUTBOUND_ALLOW: "http://x" is not an IP address, a CIDR range or a host name',
    );
    expect(() => parseOutboundAllow('10.0.0.0/40')).toThrow(RangeError);
  });
});
