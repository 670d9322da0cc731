/**
 * A tiny stand-in for the browser's DOM, for unit tests of views built with `ui/dom.ts`
 * (vitest runs in node, and a DOM library would be one more dependency). It implements
 * what `h`, `fill` and the views call, nothing more; the real thing is exercised by the
 * e2e tests in a browser.
 */

type Listener = (ev: { type: string }) => void;

export class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly children: (FakeElement | string)[] = [];
  readonly listeners = new Map<string, Listener[]>();
  hidden = false;
  open = false;

  constructor(readonly tagName: string) {}

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  append(...nodes: (FakeElement | string)[]): void {
    this.children.push(...nodes);
  }

  replaceChildren(...nodes: (FakeElement | string)[]): void {
    this.children.splice(0, this.children.length, ...nodes);
  }

  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  get textContent(): string {
    return this.children.map((c) => (typeof c === "string" ? c : c.textContent)).join("");
  }

  set textContent(text: string) {
    this.replaceChildren(text);
  }

  click(): void {
    for (const fn of this.listeners.get("click") ?? []) fn({ type: "click" });
  }

  /** Every element below (and including) this one, depth first, that passes `test`. */
  findAll(test: (el: FakeElement) => boolean): FakeElement[] {
    const own = test(this) ? [this] : [];
    const below = this.children.flatMap((c) => (typeof c === "string" ? [] : c.findAll(test)));
    return [...own, ...below];
  }

  /** Elements with this `data-testid`. */
  byTestId(id: string): FakeElement[] {
    return this.findAll((el) => el.getAttribute("data-testid") === id);
  }
}

/** Install the fake `document` (call in `beforeAll`); returns a function that removes it. */
export function installFakeDocument(): () => void {
  const fake = {
    createElement: (tag: string) => new FakeElement(tag),
    createElementNS: (_ns: string, tag: string) => new FakeElement(tag),
  };
  const globals = globalThis as { document?: unknown };
  const previous = globals.document;
  globals.document = fake;
  return () => {
    globals.document = previous;
  };
}
