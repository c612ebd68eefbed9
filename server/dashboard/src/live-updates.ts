/**
 * Keeps the monitors on the page current. Each one that is still going is followed over its event
 * stream (`waitFor`, which reads `GET /monitors/{id}/events` with fetch so the key is sent, and
 * reopens a dropped stream with `Last-Event-ID`).
 *
 * A browser opens at most six HTTP/1.1 connections to one origin, and every stream holds one open:
 * so at most {@link MAX_STREAMS} streams at once (the newest monitors first), leaving connections
 * for the page's own requests. The others are read one at a time every few seconds until a stream
 * is free for them.
 */
import { type AnyMonitor, waitFor } from '@longrun/client';
import type { Api } from './api.ts';
import { isTerminal, type Monitor } from './model.ts';

/** Streams held open at once. */
export const MAX_STREAMS = 4;
/** Pause between reads of the monitors that wait for a stream. */
const POLL_MS = 3_000;

type Listener = (monitor: Monitor) => void;

/** Follows monitors until they end, or until they are left. */
export class LiveUpdates {
  readonly #api: Api;
  readonly #streams = new Map<string, AbortController>();
  /** The latest version and listener of each streamed monitor, to queue it again. */
  readonly #followed = new Map<string, { monitor: Monitor; listener: Listener }>();
  /** Monitors waiting for a stream, in the order they came (newest first in the list). */
  readonly #queued = new Map<string, { monitor: Monitor; listener: Listener }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(api: Api) {
    this.#api = api;
  }

  /** Calls `listener` with each new version of `monitor` until it ends or {@link leave} is called. */
  follow(monitor: Monitor, listener: Listener, { first = false } = {}): void {
    if (isTerminal(monitor) || this.#streams.has(monitor.id) || this.#queued.has(monitor.id) || this.#stopped) return;
    if (this.#streams.size < MAX_STREAMS) {
      this.#stream(monitor, listener);
    } else if (first) {
      // A monitor the user just started takes the stream of the oldest one followed.
      const [oldest] = this.#streams.keys();
      if (oldest !== undefined) this.#requeue(oldest);
      this.#stream(monitor, listener);
    } else {
      this.#queued.set(monitor.id, { monitor, listener });
      this.#schedulePoll();
    }
  }

  /** Stops following one monitor (it left the page). */
  leave(id: string): void {
    this.#streams.get(id)?.abort();
    this.#streams.delete(id);
    this.#followed.delete(id);
    this.#queued.delete(id);
  }

  /** Stops following every monitor. */
  stop(): void {
    this.#stopped = true;
    for (const controller of this.#streams.values()) controller.abort();
    this.#streams.clear();
    this.#followed.clear();
    this.#queued.clear();
    clearTimeout(this.#timer);
  }

  /** How many streams are open: for the page's status line. */
  get streaming(): number {
    return this.#streams.size;
  }

  #stream(monitor: Monitor, listener: Listener): void {
    const controller = new AbortController();
    this.#streams.set(monitor.id, controller);
    this.#followed.set(monitor.id, { monitor, listener });
    let latest = monitor;
    const onProgress = (next: AnyMonitor) => {
      latest = next as unknown as Monitor;
      this.#followed.set(monitor.id, { monitor: latest, listener });
      listener(latest);
    };
    waitFor(this.#api.client, monitor as unknown as AnyMonitor, { signal: controller.signal, onProgress })
      .catch(() => {
        // Failed, cancelled, or the stream gave up: the read below shows where it ended.
      })
      .then(async () => {
        if (controller.signal.aborted) return;
        this.#streams.delete(monitor.id);
        this.#followed.delete(monitor.id);
        // The final monitor (the outcome's answer may have been a product, not the monitor).
        const read = await this.#api.readMonitor(latest);
        if (read.ok) {
          listener(read.value);
          if (!isTerminal(read.value)) this.follow(read.value, listener);
        }
        this.#next();
      });
  }

  /** Moves a followed monitor back to the queue to free its stream. */
  #requeue(id: string): void {
    const entry = this.#followed.get(id);
    this.#streams.get(id)?.abort();
    this.#streams.delete(id);
    this.#followed.delete(id);
    if (entry) {
      this.#queued.set(id, entry);
      this.#schedulePoll();
    }
  }

  /** Gives a free stream to the first queued monitor. */
  #next(): void {
    const [first] = this.#queued.values();
    if (first === undefined || this.#streams.size >= MAX_STREAMS) return;
    this.#queued.delete(first.monitor.id);
    this.#stream(first.monitor, first.listener);
  }

  #schedulePoll(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setTimeout(async () => {
      this.#timer = undefined;
      for (const [id, entry] of [...this.#queued]) {
        const read = await this.#api.readMonitor(entry.monitor);
        if (!this.#queued.has(id)) continue;
        if (!read.ok) continue;
        entry.listener(read.value);
        if (isTerminal(read.value)) this.#queued.delete(id);
        else entry.monitor = read.value;
      }
      this.#next();
      if (this.#queued.size > 0) this.#schedulePoll();
    }, POLL_MS);
  }
}
