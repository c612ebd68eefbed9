/**
 * `Accept` (RFC 9110 §12.5.1): whether a client takes a media type, read by `negotiator` (the
 * library behind Express's `req.accepts`), so the server and the mock negotiate alike.
 *
 * Kept apart from the contract's index (`@longrun/openapi/contract/accept`): only answering sides
 * negotiate, and the client's browser file should not carry a parser it never calls.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1
 */
import Negotiator from 'negotiator';
import { EVENT_STREAM_MEDIA_TYPE } from './events.ts';

/**
 * Whether an `Accept` value takes `mediaType`: no `Accept` at all takes anything; `*\/*`,
 * `type/*` and the type itself with `q` above 0 take it; `q=0` refuses it, also when a wildcard
 * would take it (the more specific range wins).
 *
 * @example acceptsMediaType('text/*', 'text/event-stream') // true
 * @example acceptsMediaType('application/json', 'text/event-stream') // false
 */
export function acceptsMediaType(accept: string | null | undefined, mediaType: string): boolean {
  if (accept === null || accept === undefined) return true;
  return new Negotiator({ headers: { accept } }).mediaType([mediaType]) !== undefined;
}

/** Whether an `Accept` value takes the monitor's event stream (`text/event-stream`). */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  return acceptsMediaType(accept, EVENT_STREAM_MEDIA_TYPE);
}
