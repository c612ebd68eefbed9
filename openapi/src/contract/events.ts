/**
 * The monitor's event stream (`GET /monitors/{id}/events`, `text/event-stream`): the `event:` names
 * a server writes and a client reads. Each event's `id:` is the monitor's version, so a client
 * resumes with `Last-Event-ID`.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */

/** The `event:` names of a monitor's event stream. */
export const MonitorEventType = {
  /** The monitor changed; `data:` is the whole monitor as JSON. The terminal one is the last event. */
  monitor: 'monitor',
} as const;

/** One `event:` name of a monitor's event stream. */
export type MonitorEventType = (typeof MonitorEventType)[keyof typeof MonitorEventType];

/** The media type of an event stream. */
export const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';
