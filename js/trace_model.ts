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

/** One tool call of an agent step (`ToolCallRecord.to_dict()`). */
export interface ToolCallRecordJson {
  id: string;
  tool: string;
  arguments: JsonValue;
  result: JsonValue;
  error: string | null;
  latency_s: number;
}

/** One decision of an agent (`AgentStep.to_dict()`). */
export interface AgentStepJson {
  index: number;
  thinking: string;
  calls: ToolCallRecordJson[];
  latency_s: number;
  prompt_tokens: number;
  completion_tokens: number;
}

/** An agent's trajectory, on the agent's span (`AgentRun.to_dict()`). */
export interface AgentRunJson {
  agent: string;
  mode: string;
  max_iterations: number;
  outcome: string;
  steps: AgentStepJson[];
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
  /** Only on an agent's span. */
  agent?: AgentRunJson;
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

/** One row of an agent's steps table: a tool call, or a decision that called no tool. */
export interface AgentRow {
  step: number;
  /** `null` when the model answered instead of calling a tool. */
  call: ToolCallRecordJson | null;
  thinking: string;
  /** The decision's seconds and tokens, on the first row of its step only. */
  modelSeconds: number | null;
  tokens: number | null;
}

/** The rows of an agent's table, as `AgentRun.rows()` lays them out in Python. */
export function agentRows(run: AgentRunJson): AgentRow[] {
  const rows: AgentRow[] = [];
  for (const step of run.steps) {
    const tokens = step.prompt_tokens + step.completion_tokens;
    const calls: (ToolCallRecordJson | null)[] = step.calls.length ? step.calls : [null];
    calls.forEach((call, i) => {
      rows.push({
        step: step.index,
        call,
        thinking: step.thinking,
        modelSeconds: i === 0 ? step.latency_s : null,
        tokens: i === 0 ? tokens : null,
      });
    });
  }
  return rows;
}

/** What an agent run's outcome means (mirrors `OUTCOMES` in Python). */
export function outcomeText(outcome: string): string {
  const texts: Record<string, string> = {
    running: "still running",
    answered: "the model stopped calling tools and answered",
    max_iterations: "stopped at max_iterations with tool calls still coming",
    awaiting_approval: "tool calls proposed, waiting for the caller",
  };
  return texts[outcome] ?? outcome;
}
