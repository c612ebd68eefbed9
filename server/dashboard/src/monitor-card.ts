/**
 * One monitor on the page: state, progress bar, ETA, steps, the problem when it failed, what it
 * produced, and what can be done with it (cancel it; perform the outside action a waiting step
 * links to). Updated in place, so a body being typed for an action survives each new event.
 */
import type { Api } from './api.ts';
import { h, replaceChildren } from './dom.ts';
import { clockTime, eta, fromNow, json } from './format.ts';
import { isTerminal, type Link, type Monitor, type OperationChoice, operationFor, type Step } from './model.ts';
import { failureView, problemView } from './problem-view.ts';

/** Related resources listed before "and N more". */
const RELATED_SHOWN = 6;

/** What a card needs from the page. */
export interface CardContext {
  api: Api;
  /** The spec's operations: a waiting step's action is prefilled with its example body. */
  operations: readonly OperationChoice[];
  /** A new version of the monitor came from an action taken on the card. */
  onChange(monitor: Monitor): void;
}

/** The card of one monitor. */
export class MonitorCard {
  readonly element: HTMLLIElement;
  #monitor: Monitor;
  readonly #context: CardContext;
  readonly #badge = h('span', { class: 'badge' });
  readonly #request = h('p', { class: 'request' });
  readonly #bar = h('span', { class: 'bar-fill' });
  readonly #progressbar: HTMLDivElement;
  readonly #percent = h('span', { class: 'percent' });
  readonly #message = h('p', { class: 'message' });
  readonly #eta = h('p', { class: 'eta' });
  readonly #steps: HTMLOListElement;
  readonly #actions = h('div', { class: 'step-actions' });
  readonly #error = h('div', { class: 'error' });
  readonly #outcome = h('div', { class: 'produced' });
  readonly #times = h('p', { class: 'times' });
  readonly #cancel = h('button', { type: 'button', class: 'danger' }, 'Cancel');
  readonly #status = h('div', { class: 'card-status', role: 'status', 'aria-live': 'polite' });
  /** The open action forms, by step and link, kept while their step waits. */
  readonly #actionForms = new Map<string, HTMLFormElement>();

  constructor(monitor: Monitor, context: CardContext) {
    this.#monitor = monitor;
    this.#context = context;
    const titleId = `title-${monitor.id}`;
    this.#progressbar = h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-label': `Progress of ${monitor.kind} ${monitor.id}`,
      },
      this.#bar,
    );
    this.#steps = h('ol', { class: 'steps', 'aria-label': `Steps of ${monitor.id}` });
    this.#cancel.setAttribute('aria-label', `Cancel ${monitor.kind} ${monitor.id}`);
    this.#cancel.addEventListener('click', () => void this.#requestCancel());
    this.element = h(
      'li',
      { class: 'card', 'data-monitor-id': monitor.id },
      h(
        'article',
        { 'aria-labelledby': titleId },
        h(
          'header',
          { class: 'card-head' },
          h('h3', { id: titleId }, monitor.kind),
          this.#badge,
          h('code', { class: 'monitor-id', title: 'Monitor id' }, monitor.id),
        ),
        this.#request,
        h('div', { class: 'progress-row' }, this.#progressbar, this.#percent),
        this.#message,
        this.#eta,
        this.#steps,
        this.#actions,
        this.#error,
        this.#outcome,
        h('footer', { class: 'card-foot' }, this.#times, this.#cancel),
        this.#status,
      ),
    );
    this.update(monitor);
  }

  /** The monitor shown. */
  get monitor(): Monitor {
    return this.#monitor;
  }

  /** Shows a new version of the monitor (an older one, arriving late, is ignored). */
  update(monitor: Monitor): void {
    if (monitor.updatedAt < this.#monitor.updatedAt) return;
    this.#monitor = monitor;
    const { state, progress } = monitor;
    this.element.className = `card state-${state}`;
    this.element.dataset.state = state;
    this.#badge.className = `badge state-${state}`;
    this.#badge.textContent = monitor.cancelRequested && !isTerminal(monitor) ? `${state} · cancelling` : state;
    replaceChildren(this.#request, h('code', {}, `${monitor.request.method} ${monitor.request.path}`));
    const percent = Math.max(0, Math.min(100, Math.round(progress.percent)));
    this.#progressbar.setAttribute('aria-valuenow', String(percent));
    this.#progressbar.setAttribute('aria-valuetext', `${percent}%${progress.message ? `: ${progress.message}` : ''}`);
    this.#bar.style.width = `${percent}%`;
    this.#percent.textContent = `${percent}%`;
    this.#message.textContent = progress.message ?? '';
    this.#message.hidden = !progress.message;
    this.#renderSteps(monitor.steps);
    this.#renderActions(monitor);
    replaceChildren(this.#error, monitor.error && problemView(monitor.error, 'Failed'));
    this.#renderProduced(monitor);
    this.#cancel.hidden = isTerminal(monitor) || monitor.links.cancel === undefined;
    this.#cancel.disabled = monitor.cancelRequested;
    if (monitor.state === 'cancelled' && this.#status.textContent === 'Cancellation requested.') {
      replaceChildren(this.#status, 'Cancelled.');
    }
    this.tick(Date.now());
  }

  /** Moves the clock: the ETA and the times read relative to now. */
  tick(now: number): void {
    const monitor = this.#monitor;
    this.#eta.hidden = isTerminal(monitor);
    this.#eta.textContent = `ETA ${eta(monitor.estimatedCompletionAt, now)}`;
    const created = new Date(monitor.createdAt);
    const parts = [`created ${clockTime(created)} (${fromNow(created, now)})`];
    if (monitor.finishedAt !== null) {
      const finished = new Date(monitor.finishedAt);
      const took = Math.max(0, finished.getTime() - new Date(monitor.startedAt ?? monitor.createdAt).getTime());
      parts.push(`finished ${clockTime(finished)}, took ${(took / 1000).toFixed(1)} s`);
    }
    this.#times.textContent = parts.join(' · ');
  }

  #renderSteps(steps: readonly Step[]): void {
    replaceChildren(
      this.#steps,
      ...steps.map((step) =>
        h(
          'li',
          { class: `step step-${step.state}`, 'data-step': step.name, 'data-state': step.state },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }),
          h('span', { class: 'step-title' }, step.title ?? step.name),
          h('span', { class: 'step-state' }, step.state),
        ),
      ),
    );
    this.#steps.hidden = steps.length === 0;
  }

  /** A form for each waiting step's action: its body prefilled from the spec's example. */
  #renderActions(monitor: Monitor): void {
    const waiting = isTerminal(monitor)
      ? []
      : monitor.steps.flatMap((step) =>
          step.state === 'waiting' && step.action ? [{ step, action: step.action }] : [],
        );
    const keys = new Set(waiting.map(({ step, action }) => `${step.name} ${action.method} ${action.href}`));
    for (const [key, form] of this.#actionForms) {
      if (!keys.has(key)) {
        form.remove();
        this.#actionForms.delete(key);
      }
    }
    for (const { step, action } of waiting) {
      const key = `${step.name} ${action.method} ${action.href}`;
      if (this.#actionForms.has(key)) continue;
      const form = this.#actionForm(step, action);
      this.#actionForms.set(key, form);
      this.#actions.append(form);
    }
  }

  #actionForm(step: Step, action: { method: string; href: string }): HTMLFormElement {
    const title = step.title ?? step.name;
    const bodyId = `action-${this.#monitor.id}-${step.name}`;
    const example = operationFor(this.#context.operations, action.method, action.href)?.example;
    const textarea = h('textarea', { id: bodyId, rows: 4, spellcheck: 'false' });
    textarea.value = example === undefined ? '{}' : json(example);
    const outcome = h('div', { class: 'outcome', role: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'submit' }, `Perform “${title}”`);
    const form = h(
      'form',
      { class: 'action-form', 'aria-label': `Waiting step: ${title}` },
      h(
        'p',
        {},
        h('strong', {}, `“${title}” is waiting`),
        ' for ',
        h(
          'a',
          { href: action.href, class: 'action-link' },
          `${action.method} ${new URL(action.href, location.origin).pathname}`,
        ),
      ),
      h('label', { for: bodyId }, 'Request body (JSON)'),
      textarea,
      button,
      outcome,
    );
    const perform = async () => {
      let body: unknown;
      try {
        body = JSON.parse(textarea.value || '{}');
      } catch (error) {
        replaceChildren(outcome, failureView(`The body is not JSON: ${(error as Error).message}`));
        return;
      }
      button.disabled = true;
      replaceChildren(outcome, `Sending ${action.method}…`);
      const answer = await this.#context.api.send(action.method, action.href, body);
      button.disabled = false;
      if (!answer.ok) {
        replaceChildren(outcome, answer.problem ? problemView(answer.problem, 'Refused') : failureView(answer.message));
        return;
      }
      replaceChildren(outcome, `Done (${answer.status}).`);
      const read = await this.#context.api.readMonitor(this.#monitor);
      if (read.ok) this.#context.onChange(read.value);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void perform();
    });
    // The link performs the action too: it is a request with a body, not a page to open.
    form.querySelector('a')?.addEventListener('click', (event) => {
      event.preventDefault();
      textarea.focus();
    });
    return form;
  }

  /** The product, the related resources and the inline result, each readable with the key. */
  #renderProduced(monitor: Monitor): void {
    const links: { label: string; link: Link }[] = [];
    if (monitor.links.product)
      links.push({ label: monitor.links.product.title ?? 'Product', link: monitor.links.product });
    const related = monitor.links.related ?? [];
    for (const link of related.slice(0, RELATED_SHOWN))
      links.push({ label: link.title ?? link.rel ?? 'Related', link });
    const hasResult = monitor.state === 'succeeded' && monitor.result !== undefined;
    if (links.length === 0 && !hasResult) {
      replaceChildren(this.#outcome);
      return;
    }
    if (this.#outcome.dataset.shown === JSON.stringify([links, hasResult])) return;
    this.#outcome.dataset.shown = JSON.stringify([links, hasResult]);
    const viewer = h('pre', { class: 'resource', hidden: true, tabindex: 0 });
    replaceChildren(
      this.#outcome,
      h(
        'ul',
        { class: 'produced-links', 'aria-label': 'Produced' },
        ...links.map(({ label, link }) => h('li', {}, this.#resourceLink(label, link.href, viewer))),
        related.length > RELATED_SHOWN && h('li', { class: 'more' }, `and ${related.length - RELATED_SHOWN} more`),
      ),
      hasResult && h('details', {}, h('summary', {}, 'Result'), h('pre', { class: 'resource' }, json(monitor.result))),
      viewer,
    );
  }

  /** A link to a resource of the API: opening it shows the resource, read with the key, below. */
  #resourceLink(label: string, href: string, viewer: HTMLPreElement): HTMLAnchorElement {
    const path = new URL(href, location.origin).pathname;
    const anchor = h(
      'a',
      { href, class: 'resource-link' },
      h('span', { class: 'link-label' }, label),
      ' ',
      h('code', {}, path),
    );
    anchor.addEventListener('click', async (event) => {
      // A plain navigation would carry no key; read it with one and show it in place.
      event.preventDefault();
      viewer.hidden = false;
      viewer.textContent = `GET ${path}…`;
      const answer = await this.#context.api.read(href);
      viewer.textContent = answer.ok ? json(answer.value) : answer.message;
    });
    return anchor;
  }

  async #requestCancel(): Promise<void> {
    this.#cancel.disabled = true;
    replaceChildren(this.#status, 'Asking to cancel…');
    const answer = await this.#context.api.cancel(this.#monitor);
    if (answer.ok) {
      replaceChildren(this.#status, answer.value.state === 'cancelled' ? 'Cancelled.' : 'Cancellation requested.');
      this.#context.onChange(answer.value);
    } else {
      this.#cancel.disabled = false;
      replaceChildren(
        this.#status,
        answer.problem ? problemView(answer.problem, 'Cancel refused') : failureView(answer.message),
      );
    }
  }
}
