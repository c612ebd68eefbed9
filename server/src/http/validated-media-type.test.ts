import { describe, expect, it } from 'vitest';
import { canonicalMediaTypes, declaredRequestMediaTypes, UNDECLARED_MEDIA_TYPE } from './validated-media-type.ts';

const spec = {
  paths: {
    '/things': {
      post: { requestBody: { content: { 'application/json': {} } } },
      get: { responses: {} },
    },
    '/things/{id}': {
      parameters: [],
      patch: { requestBody: { $ref: '#/components/requestBodies/Patch' } },
    },
    '/uploads': { put: { requestBody: { content: { 'image/*': {} } } } },
  },
  components: { requestBodies: { Patch: { content: { 'application/merge-patch+json': {} } } } },
};

function shown(contentType: string): string | undefined {
  const headers: { 'content-type'?: string } = { 'content-type': contentType };
  canonicalMediaTypes(spec)(headers);
  return headers['content-type'];
}

describe('the Content-Type the validator is shown', () => {
  it('collects the media types of every request body, a $ref followed', () => {
    expect([...declaredRequestMediaTypes(spec)].sort()).toEqual([
      'application/json',
      'application/merge-patch+json',
      'image/*',
    ]);
  });

  it('is the bare declared media type, whatever its case and parameters', () => {
    expect(shown('application/json')).toBe('application/json');
    expect(shown('Application/JSON; charset=UTF-8; x=1')).toBe('application/json');
    expect(shown('application/merge-patch+json;v=2')).toBe('application/merge-patch+json');
  });

  it('is the wildcard a media type matches, and one fixed type for anything undeclared or malformed', () => {
    expect(shown('image/png')).toBe('image/*');
    expect(shown('text/plain')).toBe(UNDECLARED_MEDIA_TYPE);
    expect(shown('garbage')).toBe(UNDECLARED_MEDIA_TYPE);
    expect(shown('')).toBe(UNDECLARED_MEDIA_TYPE);
  });

  it('takes a bounded set of values however many headers clients make up', () => {
    const canonicalise = canonicalMediaTypes(spec);
    const values = new Set<string | undefined>();
    for (let i = 0; i < 2_000; i++) {
      const headers: { 'content-type'?: string } = {
        'content-type': [`application/json; n=${i}`, `image/x-${i}`, `x-${i}/y`, `nonsense ${i}`][i % 4] as string,
      };
      canonicalise(headers);
      values.add(headers['content-type']);
    }
    expect([...values].sort()).toEqual(['application/json', UNDECLARED_MEDIA_TYPE, 'image/*'].sort());
  });

  it('leaves a request without a Content-Type without one', () => {
    const headers: { 'content-type'?: string } = {};
    canonicalMediaTypes(spec)(headers);
    expect(headers).toEqual({});
  });
});
