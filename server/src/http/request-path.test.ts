/**
 * A request target in absolute form reaches the routes as its origin form, unchanged otherwise.
 */
import { describe, expect, it } from 'vitest';
import { originForm } from './request-path.ts';

describe('originForm', () => {
  it('cuts the scheme and authority of an absolute-form target, keeping path and query as sent', () => {
    expect(originForm('http://api.example.com/monitors/op_1')).toBe('/monitors/op_1');
    expect(originForm('HTTPS://api.example.com:8443/monitors?limit=2')).toBe('/monitors?limit=2');
    expect(originForm('http://api.example.com')).toBe('/');
    expect(originForm('http://api.example.com?x=1')).toBe('/?x=1');
    expect(originForm('http://h/a/%2e%2e/b')).toBe('/a/%2e%2e/b');
  });

  it('leaves every other target as it is', () => {
    for (const target of ['/monitors/op_1', '*', 'example.com:443', 'ftp://h/x', '//h/x', 'monitors']) {
      expect(originForm(target)).toBe(target);
    }
  });
});
