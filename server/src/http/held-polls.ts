/**
 * How many long polls (`Prefer: wait=N`) each tenant holds open at once, in this process. Past the
 * cap a request is answered at once, without waiting (the preference is not applied, which the
 * contract allows): one tenant's idle waits cannot use up the server's connections and memory.
 */

/** The default cap of held long polls per tenant, as for event streams. */
export const DEFAULT_MAX_HELD_POLLS_PER_TENANT = 100;

/** Counts held long polls per tenant. */
export class HeldPolls {
  readonly #limit: number;
  readonly #held = new Map<string, number>();

  constructor(limit: number = DEFAULT_MAX_HELD_POLLS_PER_TENANT) {
    this.#limit = limit;
  }

  /** Holds one poll for `tenant`: a function that releases it (once), or undefined at the cap. */
  hold(tenant: string): (() => void) | undefined {
    const held = this.#held.get(tenant) ?? 0;
    if (held >= this.#limit) return undefined;
    this.#held.set(tenant, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#held.get(tenant) ?? 1) - 1;
      if (left > 0) this.#held.set(tenant, left);
      else this.#held.delete(tenant);
    };
  }

  /** The polls `tenant` holds now. */
  heldBy(tenant: string): number {
    return this.#held.get(tenant) ?? 0;
  }
}
