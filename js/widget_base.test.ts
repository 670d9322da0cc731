import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { asGraph, type Listenable, listen, throttle } from "./widget_base";

/** A model that counts its subscribed handlers, like Backbone's event registry. */
class FakeModel implements Listenable {
  readonly handlers = new Map<string, Set<(...args: unknown[]) => void>>();
  on(event: string, cb: (...args: unknown[]) => void): void {
    this.handlers.set(event, (this.handlers.get(event) ?? new Set()).add(cb));
  }
  off(event?: string | null, cb?: ((...args: unknown[]) => void) | null): void {
    if (event && cb) this.handlers.get(event)?.delete(cb);
  }
  count(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0);
  }
}

describe("listen", () => {
  it("leaves no handler after the cleanup, however many views came and went", () => {
    const model = new FakeModel();
    for (let view = 0; view < 5; view++) {
      const cleanup = listen(model, { "change:graph": () => {}, "msg:custom": () => {} });
      expect(model.count()).toBe(2);
      cleanup();
    }
    expect(model.count()).toBe(0);
  });
});

describe("throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once for a burst, then waits out the interval", () => {
    const fn = vi.fn();
    const t = throttle(fn, 100, () => Date.now());
    for (let i = 0; i < 10; i++) t.schedule();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    t.schedule();
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("drops a cancelled run", () => {
    const fn = vi.fn();
    const t = throttle(fn, 100);
    t.schedule();
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe("asGraph", () => {
  it("is null for the empty trait and the graph otherwise", () => {
    expect(asGraph({})).toBeNull();
    const g = { name: "qa", nodes: [], edges: [], variables: {} };
    expect(asGraph(g)).toBe(g);
  });
});
