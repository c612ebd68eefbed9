/**
 * The tenant's monitors, newest first: filtered by state and kind, a page at a time
 * (`GET /monitors`, its `next` link behind "Load more"), each card kept live by {@link LiveUpdates}.
 * New monitors, started here or elsewhere, are picked up by re-reading the first page now and then.
 */
import type { Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import type { LiveUpdates } from './live-updates.ts';
import { isTerminal, type Monitor, type OperationChoice } from './model.ts';
import { MonitorCard } from './monitor-card.ts';
import { failureView, problemView } from './problem-view.ts';

/** How often the first page is read again for monitors started elsewhere. */
const DISCOVER_MS = 10_000;

/** The filters of `GET /monitors`. */
export interface MonitorFilters {
  state: string;
  kind: string;
}

/** The elements the list lives in. */
export interface MonitorListElements {
  list: HTMLUListElement;
  more: HTMLButtonElement;
  outcome: HTMLElement;
}

/** The list of monitors on the page. */
export class MonitorList {
  readonly #api: Api;
  readonly #live: LiveUpdates;
  readonly #operations: readonly OperationChoice[];
  readonly #elements: MonitorListElements;
  readonly #cards = new Map<string, MonitorCard>();
  #filters: MonitorFilters = { state: '', kind: '' };
  #next: string | null = null;
  /** Until when a notice stays in the status line instead of the count. */
  #noticeUntil = 0;
  /** Bumped by every new listing, so an answer to an older one is dropped. */
  #generation = 0;
  readonly #timers: ReturnType<typeof setInterval>[] = [];

  constructor(api: Api, live: LiveUpdates, operations: readonly OperationChoice[], elements: MonitorListElements) {
    this.#api = api;
    this.#live = live;
    this.#operations = operations;
    this.#elements = elements;
    elements.more.addEventListener('click', () => void this.#loadMore());
    this.#timers.push(
      setInterval(() => {
        const now = Date.now();
        for (const card of this.#cards.values()) card.tick(now);
        this.#showCount();
      }, 1_000),
      setInterval(() => void this.#discover(), DISCOVER_MS),
    );
  }

  /** The API the list reads with. */
  get api(): Api {
    return this.#api;
  }

  /** Lists the first page for these filters, replacing what was shown. */
  async load(filters: MonitorFilters): Promise<boolean> {
    this.#filters = filters;
    const generation = ++this.#generation;
    replaceChildren(this.#elements.outcome, 'Loading monitors…');
    const answer = await this.#api.listMonitors(filters);
    if (generation !== this.#generation) return false;
    if (!answer.ok) {
      replaceChildren(
        this.#elements.outcome,
        answer.problem ? problemView(answer.problem, 'Listing refused') : failureView(answer.message),
      );
      return false;
    }
    for (const id of this.#cards.keys()) this.#live.leave(id);
    this.#cards.clear();
    replaceChildren(this.#elements.list);
    for (const monitor of answer.value.items) this.#show(monitor, 'bottom');
    this.#setNext(answer.value.next);
    this.#showCount();
    return true;
  }

  /** Shows a monitor just started on this page at the top (when the filters let it in), and follows it. */
  add(monitor: Monitor): void {
    if (!this.#matches(monitor)) {
      replaceChildren(this.#elements.outcome, `${monitor.id} is not shown: it does not match the filters.`);
      this.#noticeUntil = Date.now() + 6_000;
      return;
    }
    this.#show(monitor, 'top', true);
    this.#showCount();
  }

  /** Reads the first page again: monitors started elsewhere join at the top. */
  async refreshNewest(): Promise<void> {
    await this.#discover();
  }

  /** Stops every timer and stream (the key was forgotten). */
  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#live.stop();
  }

  #show(monitor: Monitor, where: 'top' | 'bottom', first = false): void {
    const existing = this.#cards.get(monitor.id);
    if (existing) {
      existing.update(monitor);
      return;
    }
    this.#elements.list.querySelector('.empty')?.remove();
    const card = new MonitorCard(monitor, {
      api: this.#api,
      operations: this.#operations,
      onChange: (changed) => this.#changed(changed),
    });
    this.#cards.set(monitor.id, card);
    if (where === 'top') this.#elements.list.prepend(card.element);
    else this.#elements.list.append(card.element);
    this.#live.follow(monitor, (changed) => card.update(changed), { first });
  }

  #changed(monitor: Monitor): void {
    const card = this.#cards.get(monitor.id);
    if (!card) return;
    card.update(monitor);
    if (!isTerminal(monitor)) this.#live.follow(monitor, (changed) => card.update(changed));
  }

  async #loadMore(): Promise<void> {
    const next = this.#next;
    if (next === null) return;
    const generation = this.#generation;
    this.#elements.more.disabled = true;
    const answer = await this.#api.listMonitors(next);
    this.#elements.more.disabled = false;
    if (generation !== this.#generation) return;
    if (!answer.ok) {
      replaceChildren(
        this.#elements.outcome,
        answer.problem ? problemView(answer.problem, 'Listing refused') : failureView(answer.message),
      );
      return;
    }
    for (const monitor of answer.value.items) this.#show(monitor, 'bottom');
    this.#setNext(answer.value.next);
    this.#showCount();
  }

  async #discover(): Promise<void> {
    const generation = this.#generation;
    const answer = await this.#api.listMonitors(this.#filters);
    if (!answer.ok || generation !== this.#generation) return;
    // Oldest first, each to the top: the newest ends up first.
    for (const monitor of [...answer.value.items].reverse()) {
      if (!this.#cards.has(monitor.id)) this.#show(monitor, 'top');
    }
    if (this.#cards.size === answer.value.items.length) this.#setNext(answer.value.next);
    this.#showCount();
  }

  #setNext(next: string | null): void {
    this.#next = next;
    this.#elements.more.hidden = next === null;
  }

  #showCount(): void {
    // A refusal shown there stays until the next listing.
    if (this.#elements.outcome.querySelector('.problem') || Date.now() < this.#noticeUntil) return;
    const count = this.#cards.size;
    if (count === 0 && !this.#elements.list.querySelector('.empty')) {
      replaceChildren(
        this.#elements.list,
        h('li', { class: 'empty' }, 'No monitors here yet. Start an operation, or change the filters.'),
      );
    }
    const filtered = [this.#filters.state, this.#filters.kind].filter(Boolean).join(', ');
    replaceChildren(
      this.#elements.outcome,
      `${count} monitor${count === 1 ? '' : 's'}${this.#next === null ? '' : ' (more to load)'}${filtered ? ` · ${filtered}` : ''} · ${this.#live.streaming} live`,
    );
  }

  #matches(monitor: Monitor): boolean {
    return (
      (this.#filters.state === '' || this.#filters.state === monitor.state) &&
      (this.#filters.kind === '' || this.#filters.kind === monitor.kind)
    );
  }
}
