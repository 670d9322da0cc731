/**
 * Pure logic of the TraceViewer: the synced trait shapes (mirroring
 * `synalinks_nb/notebook/trace_viewer.py` and `CallTrace.to_dict()`), the span
 * tree, message labels, and sorting / filtering of evaluation rows. No DOM.
 */

import type { JsonValue } from "./protocol";

export interface VariableUseJson {
  path: string;
  version: number;
  candidate: boolean;
}

export interface LMCallJson {
  model: string;
  messages: { role: string; content: string }[];
  schema_title: string | null;
  raw: string[];
  rejections: string[];
  repaired: boolean;
  output: JsonValue;
  latency_s: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  cached: boolean;
  error: string | null;
  phase: string;
}

export interface SpanJson {
  index: number;
  parent: number | null;
  depth: number;
  module: string;
  kind: string;
  inputs: JsonValue;
  outputs: JsonValue;
  error: string | null;
  start_s: number;
  latency_s: number;
  variables: VariableUseJson[];
  lm_calls: LMCallJson[];
}

export interface TraceJson {
  id: number;
  root: string;
  sample_id: JsonValue;
  timestamp: number;
  latency_s: number;
  error: string | null;
  dropped: number;
  spans: SpanJson[];
}

/** One side of an evaluated sample. */
export interface Outcome {
  predicted: JsonValue;
  reward: number;
  error: string | null;
  trace_id: number | null;
}

/** One evaluation row; `after` is set when comparing two evaluations. */
export interface RowJson extends Outcome {
  index: number;
  inputs: JsonValue;
  expected: JsonValue;
  /** "fixed" | "broken" | "right" | "wrong" when comparing, else "". */
  status: string;
  after: Outcome | null;
}

export type ViewerKind = "traces" | "evaluation" | "comparison";

/** The synced traits of the TraceViewer widget, one for one. */
export interface TraceViewerTraits {
  kind: ViewerKind;
  title: string;
  traces: TraceJson[];
  rows: RowJson[];
  threshold: number;
}

/** Spans grouped by parent index (`-1` for the root level), in start order. */
export function childrenOf(trace: TraceJson): Map<number, SpanJson[]> {
  const out = new Map<number, SpanJson[]>();
  for (const span of trace.spans) {
    const key = span.parent ?? -1;
    const list = out.get(key) ?? [];
    list.push(span);
    out.set(key, list);
  }
  return out;
}

/**
 * What each chat message is, as the Generator sends them: the system prompt, the
 * few-shot examples as user/assistant turns, the input as the last user turn.
 */
export function messageLabels(messages: readonly { role: string }[]): string[] {
  const lastUser = messages.map((m) => m.role).lastIndexOf("user");
  let example = 0;
  return messages.map((m, i) => {
    if (m.role === "system") return "system";
    if (i === lastUser) return "input";
    if (m.role === "user") {
      example += 1;
      return `example ${example} · input`;
    }
    if (m.role === "assistant" && i < lastUser) return `example ${example} · output`;
    return m.role;
  });
}

export type RowFilter = "all" | "failures" | "flipped";
export type SortKey = "index" | "reward" | "reward_after";

/** Whether a row counts as a failure: it raised, or a side scored below `threshold`. */
export function isFailure(row: RowJson, threshold: number): boolean {
  const side = row.after ?? row;
  return side.error !== null || side.reward < threshold;
}

/** Rows kept by `filter`, sorted by `key` (ties by index), without mutating `rows`. */
export function selectRows(
  rows: readonly RowJson[],
  filter: RowFilter,
  key: SortKey,
  ascending: boolean,
  threshold: number,
): RowJson[] {
  const kept = rows.filter((r) => {
    if (filter === "failures") return isFailure(r, threshold);
    if (filter === "flipped") return r.status === "fixed" || r.status === "broken";
    return true;
  });
  const value = (r: RowJson): number =>
    key === "index" ? r.index : key === "reward" ? r.reward : (r.after?.reward ?? r.reward);
  const sign = ascending ? 1 : -1;
  return kept.sort((a, b) => sign * (value(a) - value(b)) || a.index - b.index);
}

/** Seconds as "12 ms" or "1.20 s". */
export function fmtSeconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`;
}

/** "path@v3" or "path@v3 (candidate)". */
export function fmtVariable(v: VariableUseJson): string {
  return `${v.path}@v${v.version}${v.candidate ? " (candidate)" : ""}`;
}
