/**
 * Writing a `text/event-stream` body: headers go out at once, each frame is written (and so
 * flushed) as the iterable yields it, with backpressure, and the response ends when the iterable
 * does. When the client goes away the iterable is closed (its `finally` runs).
 *
 * The response validator only sees `res.json`, so it never buffers or checks a stream.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { OperationLogger } from '../operations/logger.ts';
import type { EventStreamBody } from './spec-server.ts';

/** True for a handler's streamed body (JSON bodies are plain objects and arrays). */
export function isEventStream(body: unknown): body is EventStreamBody {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** Writes `body` to `res` until it ends or the client goes away. */
export async function writeEventStream(res: Response, body: EventStreamBody, logger: OperationLogger): Promise<void> {
  res.flushHeaders();
  try {
    await pipeline(Readable.from(body, { objectMode: false, encoding: 'utf8' }), res);
  } catch (error) {
    // The client going away is how most streams end.
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.warn({ err: error }, 'an event stream ended with an error');
    }
  }
}
