import { describe, expect, it } from 'vitest';
import { acceptsEventStream, acceptsMediaType } from './accept.ts';

describe('acceptsEventStream', () => {
  it.each([
    [undefined],
    ['*/*'],
    ['text/*'],
    ['text/event-stream'],
    ['text/event-stream;q=0.1'],
    ['application/json, text/event-stream;q=0.5'],
    ['TEXT/Event-Stream'],
  ])('takes the stream for Accept %j', (accept) => {
    expect(acceptsEventStream(accept)).toBe(true);
  });

  it.each([
    ['application/json'],
    ['application/problem+json'],
    ['text/event-stream;q=0'],
    ['*/*, text/event-stream;q=0'],
    ['text/html'],
    [''],
  ])('refuses the stream for Accept %j', (accept) => {
    expect(acceptsEventStream(accept)).toBe(false);
  });
});

describe('acceptsMediaType', () => {
  it('reads any media type the same way', () => {
    expect(acceptsMediaType('application/*', 'application/json')).toBe(true);
    expect(acceptsMediaType('text/csv', 'application/json')).toBe(false);
  });
});
