/** An RFC 9457 problem document as a person reads it: title, status, detail, each invalid part. */
import { h } from './dom.ts';
import type { Problem } from './model.ts';

/** Renders a problem document. */
export function problemView(problem: Problem, heading = 'Problem'): HTMLElement {
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return h(
    'div',
    { class: 'problem' },
    h('p', { class: 'problem-title' }, h('strong', {}, `${heading}: `), problem.title, ` (${problem.status})`),
    problem.detail !== undefined && h('p', { class: 'problem-detail' }, problem.detail),
    errors.length > 0 &&
      h(
        'ul',
        { class: 'problem-errors' },
        ...errors.map((error) => h('li', {}, h('code', {}, error.pointer || '/'), ' ', error.message)),
      ),
    h('p', { class: 'problem-type' }, 'type ', h('code', {}, problem.type)),
  );
}

/** A failure that is not a problem document (the network, a page that is not JSON). */
export function failureView(message: string): HTMLElement {
  return h('div', { class: 'problem' }, h('p', { class: 'problem-title' }, message));
}
