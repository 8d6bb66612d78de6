/** Small DOM helpers for the demo page. */

/** The element with `id`; the page is broken without it, so its absence throws at start. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Sets a result line: its text and whether it reads as a success, an error or a notice. */
export function show(output: HTMLElement, text: string, kind: 'ok' | 'error' | 'notice' | 'pending'): void {
  output.textContent = text;
  output.dataset['kind'] = kind;
}

/** Appends `item` to `list`, dropping the oldest past `max` so a long session holds bounded memory. */
export function appendBounded(list: HTMLElement, item: HTMLElement, max: number): void {
  list.append(item);
  while (list.children.length > max) list.firstElementChild?.remove();
}

/** Text from an input as a call argument: a number if it reads as one, else the text as typed (the server says what is wrong). */
export function numberOrText(input: HTMLInputElement): number | string {
  const text = input.value.trim();
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : input.value;
}
