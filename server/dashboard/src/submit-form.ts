/**
 * "Start an operation": any asynchronous operation of the served spec, its body prefilled from
 * the spec's example, sent as JSON. A refusal shows its problem document; an accepted request's
 * monitor joins the list.
 */
import type { Api } from './api.ts';
import { replaceChildren } from './dom.ts';
import { json } from './format.ts';
import { isMonitor, type Monitor, type OperationChoice } from './model.ts';
import { failureView, problemView } from './problem-view.ts';

/** The form's elements. */
export interface SubmitFormElements {
  form: HTMLFormElement;
  operation: HTMLSelectElement;
  path: HTMLInputElement;
  body: HTMLTextAreaElement;
  outcome: HTMLElement;
}

/** What happens with what the server accepted. */
export interface SubmitTarget {
  /** The API of the key in use, if one is. */
  api(): Api | undefined;
  /** A monitor came back: show it. */
  accepted(monitor: Monitor): void;
  /** Something else came back (an embedded-status resource): its monitor shows up in the list. */
  refresh(): Promise<void>;
}

/** The operations the form offers: those the spec marks asynchronous, with a JSON body. */
export function startableOperations(operations: readonly OperationChoice[]): OperationChoice[] {
  return operations.filter((operation) => operation.kind !== undefined && operation.method !== 'GET');
}

/** Wires the form. */
export function setUpSubmitForm(
  elements: SubmitFormElements,
  operations: readonly OperationChoice[],
  target: SubmitTarget,
): void {
  const choices = startableOperations(operations);
  elements.operation.replaceChildren(
    ...choices.map((operation, index) => {
      const option = document.createElement('option');
      option.value = String(index);
      option.textContent = `${operation.method} ${operation.path}${operation.summary ? ` — ${operation.summary}` : ''}`;
      return option;
    }),
  );
  const choose = () => {
    const operation = choices[Number(elements.operation.value)];
    if (!operation) return;
    elements.path.value = operation.path;
    elements.body.value = json(operation.example ?? {});
    replaceChildren(elements.outcome);
  };
  elements.operation.addEventListener('change', choose);
  choose();

  const submitButton = elements.form.querySelector('button[type="submit"]') as HTMLButtonElement | null;
  elements.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const operation = choices[Number(elements.operation.value)];
    const api = target.api();
    if (!operation || !api) return;
    let body: unknown;
    try {
      body = JSON.parse(elements.body.value);
    } catch (error) {
      replaceChildren(elements.outcome, failureView(`The body is not JSON: ${(error as Error).message}`));
      elements.body.setAttribute('aria-invalid', 'true');
      return;
    }
    elements.body.removeAttribute('aria-invalid');
    if (submitButton) submitButton.disabled = true;
    replaceChildren(elements.outcome, `Sending ${operation.method} ${elements.path.value}…`);
    const answer = await api.send(operation.method, elements.path.value, body);
    if (submitButton) submitButton.disabled = false;
    if (!answer.ok) {
      replaceChildren(
        elements.outcome,
        answer.problem ? problemView(answer.problem, 'Refused') : failureView(answer.message),
      );
      return;
    }
    if (isMonitor(answer.value)) {
      replaceChildren(elements.outcome, `Accepted (${answer.status}): ${answer.value.kind} ${answer.value.id}`);
      target.accepted(answer.value);
    } else {
      replaceChildren(elements.outcome, `Accepted (${answer.status}).`);
      await target.refresh();
    }
  });
}
