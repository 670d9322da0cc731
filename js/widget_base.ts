/**
 * What every widget view shares; the TypeScript side of
 * `synalinks_nb/notebook/widget_base.py`.
 *
 * - `listen` subscribes a view's handlers to its model and returns the one
 *   cleanup anywidget calls when the view goes (no handler left behind);
 * - `throttle` turns a burst of trait changes into one redraw per interval;
 * - `asGraph` reads a `graph` trait, which is `{}` until a program is set.
 */

import type { Graph } from "./protocol";

/** The part of anywidget's model that `listen` needs. */
export interface Listenable {
  on(eventName: string, callback: (...args: unknown[]) => void): void;
  off(eventName?: string | null, callback?: ((...args: unknown[]) => void) | null): void;
}

/** Subscribe `handlers` (`"change:<trait>"`, `"msg:custom"`); returns the unsubscribe-all. */
export function listen(
  model: Listenable,
  handlers: Record<string, (...args: unknown[]) => void>,
): () => void {
  const entries = Object.entries(handlers);
  for (const [event, handler] of entries) model.on(event, handler);
  return () => {
    for (const [event, handler] of entries) model.off(event, handler);
  };
}

export interface Throttled {
  /** Ask for a run; a no-op while one is already scheduled. */
  schedule(): void;
  /** Drop the scheduled run (call it from the view's cleanup). */
  cancel(): void;
}

/** Run `fn` at most once per `intervalMs`; the first request of a burst runs on the next tick. */
export function throttle(fn: () => void, intervalMs: number, now = Date.now): Throttled {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = Number.NEGATIVE_INFINITY;
  return {
    schedule() {
      if (timer !== null) return;
      const wait = Math.max(0, last + intervalMs - now());
      timer = setTimeout(() => {
        timer = null;
        last = now();
        fn();
      }, wait);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** The graph a `graph` trait holds, or null while it is empty. */
export const asGraph = (g: Graph | Record<string, never> | null | undefined): Graph | null =>
  g && Array.isArray((g as Graph).nodes) ? (g as Graph) : null;
