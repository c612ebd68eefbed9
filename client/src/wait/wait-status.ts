/**
 * Where a wait stands after reading one answer: a closed union the loop switches on. Every strategy
 * (event stream, long poll, poll) answers with one.
 */

/** Where the wait stands after reading one answer. */
export type Step = { done: true; outcome: unknown } | Pending;

/** An answer that leaves the operation running. */
export interface Pending {
  done: false;
  /**
   * A new version of the monitor (not a 304, nor an answer with the `ETag` already held): after a
   * long poll, ask again at once.
   */
  fresh: boolean;
  /** The progress a person would see changed. */
  changed: boolean;
  /** The answer's `Retry-After`, in ms. */
  retryAfterMs: number | undefined;
  /** The server held the request (`Preference-Applied: wait=N`). */
  appliedWait: boolean;
  /** Poll again without pausing (the wait just moved to another URL). */
  immediate?: boolean;
}

/** A pending status with nothing learnt: the wait goes on with the next request. */
export const nothingNew: Pending = {
  done: false,
  fresh: true,
  changed: false,
  retryAfterMs: undefined,
  appliedWait: false,
};
