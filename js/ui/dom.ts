/** Tiny DOM helpers: no framework, so the bundle stays small. */

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/** Create an HTML element; `on*` handlers go in `listeners`, attributes in `attrs`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: Child[] = [],
  listeners: Partial<Record<keyof HTMLElementEventMap, (ev: Event) => void>> = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  for (const [name, fn] of Object.entries(listeners)) if (fn) el.addEventListener(name, fn);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Create an SVG element. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: Child[] = [],
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
}

/** A real `<button type="button">` with a visible label and a stable class / test id. */
export function button(
  label: string,
  testid: string,
  onClick: () => void,
  extra: Attrs = {},
): HTMLButtonElement {
  return h(
    "button",
    { type: "button", class: `sn-btn ${testid}`, "data-testid": testid, ...extra },
    [label],
    { click: () => onClick() },
  );
}

/** Pretty JSON for display. */
export const pretty = (v: unknown): string => {
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
};

/** One-line JSON when it fits in `width` characters (a few-shot example), else pretty JSON. */
export const brief = (v: unknown, width = 100): string => {
  if (typeof v === "string") return v;
  try {
    const line = JSON.stringify(v);
    if (line !== undefined && line.length <= width) return line;
  } catch {
    // not serialisable: pretty() says what it can
  }
  return pretty(v);
};

/** Format a reward (or null) with 3 decimals. */
export const fmtReward = (r: number | null | undefined): string =>
  r === null || r === undefined ? "–" : r.toFixed(3);

/**
 * Replace an element's children unless they already are exactly `nodes`: re-inserting
 * the same node would blur it, and a user typing in a proposal's editor loses focus.
 */
export function keepOrReplace(el: Element, nodes: readonly Node[]): void {
  const same =
    el.childNodes.length === nodes.length && nodes.every((n, i) => el.childNodes[i] === n);
  if (!same) el.replaceChildren(...nodes);
}

/** Replace an element's children, skipping null / false entries. */
export function fill(el: Element, children: Child[]): void {
  el.replaceChildren(
    ...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false),
  );
}
