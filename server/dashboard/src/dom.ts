/**
 * Building elements without `innerHTML`: everything shown comes from the API (request bodies,
 * problem details), so it is only ever set as text.
 */

/** What an element can hold: elements, text, or nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/** Attributes: `true` sets an empty one, `false`/`undefined` leaves it out. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * Creates an element with attributes and children.
 * @example h('button', { type: 'button', class: 'danger' }, 'Cancel')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...toNodes(children));
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(element: Element, ...children: Child[]): void {
  element.replaceChildren(...toNodes(children));
}

function toNodes(children: Child[]): (Node | string)[] {
  return children.flatMap((child) =>
    child === null || child === undefined || child === false ? [] : [typeof child === 'number' ? String(child) : child],
  );
}

/** The element with this id, of the expected type; the page is broken when it is missing. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no ${type.name} #${id}.`);
  return element;
}
