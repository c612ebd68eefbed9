import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprintRequest } from './idempotency.ts';

describe('fingerprintRequest', () => {
  const request = { method: 'POST', path: '/cars', body: { make: 'Volvo', extras: { roof: true, tow: false } } };

  it('is a sha256 of method, path and body', () => {
    expect(fingerprintRequest(request)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('ignores key order and method case', () => {
    expect(
      fingerprintRequest({
        method: 'post',
        path: '/cars',
        body: { extras: { tow: false, roof: true }, make: 'Volvo' },
      }),
    ).toBe(fingerprintRequest(request));
  });

  it('differs when the body, the path or the method does', () => {
    const base = fingerprintRequest(request);
    expect(fingerprintRequest({ ...request, body: { make: 'Saab' } })).not.toBe(base);
    expect(fingerprintRequest({ ...request, path: '/trucks' })).not.toBe(base);
    expect(fingerprintRequest({ ...request, method: 'PUT' })).not.toBe(base);
  });

  it('differs with the callback URL, and is unchanged without one', () => {
    const base = fingerprintRequest(request);
    expect(fingerprintRequest(request, null)).toBe(base);
    expect(fingerprintRequest(request, 'https://a.example.com/cb')).not.toBe(base);
    expect(fingerprintRequest(request, 'https://a.example.com/cb')).not.toBe(
      fingerprintRequest(request, 'https://b.example.com/cb'),
    );
  });

  it('treats a missing body as null', () => {
    expect(fingerprintRequest({ method: 'POST', path: '/reindex' })).toBe(
      fingerprintRequest({ method: 'POST', path: '/reindex', body: null }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
