/**
 * The wire protocol between the Python widgets and their views.
 *
 * Mirrors `synalinks_nb/notebook/protocol.py` one for one: the synced trait
 * shapes (the bounded snapshot a saved notebook or a late view shows), the
 * custom messages Python sends (validated here with `parseBackendMessage`, since
 * a view must never crash on a malformed message), and builders for the
 * messages the view sends back (validated again in Python).
 *
 * `applyDelta` is the pure reducer the dashboard uses to fold a coalesced
 * `delta` message into its local copy of the snapshot.
 */

import type { TraceJson } from "./trace_model";

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

// -- graph (program.graph()) -------------------------------------------------

export interface GraphNode {
  id: string;
  name: string;
  type: string;
  trainable: boolean;
  variables: string[];
  input_schema: JsonValue;
  output_schema: JsonValue;
  /** Id of the enclosing nested-program node, or null at top level. */
  parent: string | null;
  description: string;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface GraphVariable {
  value: JsonValue;
  versions: number;
  description: string;
}

export interface Graph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  variables: Record<string, GraphVariable>;
}

// -- dashboard snapshot traits -------------------------------------------------

export type SeriesName = "train_reward" | "val_reward";
export const SERIES_NAMES: readonly SeriesName[] = ["train_reward", "val_reward"];
export type RunState = "idle" | "running" | "waiting" | "done" | "stopped" | "error";
export const RUN_STATES: readonly RunState[] = [
  "idle",
  "running",
  "waiting",
  "done",
  "stopped",
  "error",
];

export interface Status {
  state: RunState;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  message: string;
}

export interface PhaseUsage {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  cache_hits: number;
}

/** Usage per phase ("inference", "reward", "optimizer"...). */
export type Usage = Record<string, PhaseUsage>;

export type ProposalStatus = "pending" | "accepted" | "rejected" | "edited" | "timeout";
export const PROPOSAL_STATUSES: readonly ProposalStatus[] = [
  "pending",
  "accepted",
  "rejected",
  "edited",
  "timeout",
];
export type DecidedBy = "human" | "policy" | "timeout" | null;

/** A sample a proposal fixed or broke; traces by id (in the dashboard's `traces`). */
export interface FlippedSample {
  index: number;
  inputs: JsonValue;
  expected: JsonValue;
  output_before: JsonValue;
  output_after: JsonValue;
  reward_before: number;
  reward_after: number;
  trace_before: number | null;
  trace_after: number | null;
}

/** The first flipped samples of each direction, and how many there were. */
export interface Flips {
  fixed: FlippedSample[];
  broken: FlippedSample[];
  fixed_count: number;
  broken_count: number;
}

export interface Proposal {
  id: string;
  variable_path: string;
  module: string;
  before: JsonValue;
  after: JsonValue;
  reward_before: number | null;
  reward_after: number | null;
  /** On the confirmation (validation) data; null until confirmed, or never. */
  val_reward_before: number | null;
  val_reward_after: number | null;
  /** Why the optimizer proposed it ("why this change"); "" when it does not say. */
  rationale: string;
  status: ProposalStatus;
  decided_by: DecidedBy;
  reason: string;
  epoch: number;
  batch: number;
  /** The samples of its batch it fixed and broke; null until scored. */
  batch_flips: Flips | null;
  /** The same on validation; null until confirmed, or never. */
  val_flips: Flips | null;
}

export interface Version {
  variable_path: string;
  index: number;
  source: string;
  decided_by: DecidedBy;
  /** 1-based, like proposals and the status line; null outside fit. */
  epoch: number | null;
  batch: number | null;
  reward_before: number | null;
  reward_after: number | null;
  /** Seconds since the Unix epoch, or an ISO 8601 string. */
  timestamp: number | string | null;
  value: JsonValue;
}

/** `[x, reward]` pairs; x is the global batch (a validation point: its epoch's last batch). */
export type SeriesData = Record<SeriesName, [number, number][]>;

/** Synced traits of `TrainingDashboard`. */
export interface DashboardTraits {
  graph: Graph | Record<string, never>;
  status: Status;
  banner: string;
  series: SeriesData;
  usage: Usage;
  proposals: Proposal[];
  versions: Version[];
  /** Traces the flipped samples open (`CallTrace.to_dict()`), bounded. */
  traces: TraceJson[];
  highlight: string | null;
}

/** Synced traits of `ProgramGraph`. */
export interface ProgramGraphTraits {
  graph: Graph | Record<string, never>;
  selected: string | null;
}

export interface VariableEntry {
  path: string;
  description: string;
  value: JsonValue;
  schema: JsonValue;
  versions: Version[];
}

/** Synced traits of `VariableHistory`. */
export interface VariableHistoryTraits {
  variables: VariableEntry[];
}

// -- Python -> JS messages --------------------------------------------------------

export interface PingMessage {
  type: "ping";
  id: string;
}

export interface Point {
  series: SeriesName;
  x: number;
  y: number;
}

export interface DeltaMessage {
  type: "delta";
  points: Point[];
  status?: Status;
  usage?: Usage;
  /** Proposals added or changed since the last delta, each once (its latest state). */
  proposals?: Proposal[];
  /** Versions recorded since the last delta, oldest first. */
  versions?: Version[];
  traces?: TraceJson[];
}

export interface EditErrorMessage {
  type: "edit_error";
  proposal_id: string;
  message: string;
}

export interface RevertErrorMessage {
  type: "revert_error";
  variable_path: string;
  message: string;
}

export interface EditVariableErrorMessage {
  type: "edit_variable_error";
  variable_path: string;
  message: string;
}

export type BackendMessage =
  | PingMessage
  | DeltaMessage
  | EditErrorMessage
  | RevertErrorMessage
  | EditVariableErrorMessage;

// -- JS -> Python messages --------------------------------------------------------

export type DecisionAction = "accept" | "reject" | "edit";

export type FrontendMessage =
  | { type: "hello" }
  | { type: "pong"; id: string }
  | { type: "decision"; proposal_id: string; action: "accept" | "reject" }
  | { type: "decision"; proposal_id: string; action: "edit"; value: JsonValue }
  | { type: "accept_all" }
  | { type: "stop" }
  | { type: "revert"; variable_path: string; index: number }
  | { type: "edit_variable"; variable_path: string; value: JsonValue };

export const hello = (): FrontendMessage => ({ type: "hello" });
export const pong = (id: string): FrontendMessage => ({ type: "pong", id });
export const acceptAll = (): FrontendMessage => ({ type: "accept_all" });
export const stop = (): FrontendMessage => ({ type: "stop" });

export function decision(
  proposalId: string,
  action: DecisionAction,
  value?: JsonValue,
): FrontendMessage {
  if (action === "edit") {
    if (value === undefined) {
      throw new ProtocolError('Expected a "value" for an edit decision. Received: none');
    }
    return { type: "decision", proposal_id: proposalId, action, value };
  }
  return { type: "decision", proposal_id: proposalId, action };
}

export function revert(variablePath: string, index: number): FrontendMessage {
  if (!Number.isInteger(index) || index < 0) {
    throw new ProtocolError(
      `Expected "index" to be a non-negative integer. Received: index=${String(index)}`,
    );
  }
  return { type: "revert", variable_path: variablePath, index };
}

export const editVariable = (variablePath: string, value: JsonValue): FrontendMessage => ({
  type: "edit_variable",
  variable_path: variablePath,
  value,
});

// -- validation -----------------------------------------------------------------

/** A message that does not have the shape the protocol promises. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(what: string, expected: string, got: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  throw new ProtocolError(`Expected ${what} to be ${expected}. Received: ${shown}`);
}

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== "string") fail(`"${where}.${key}"`, "a string", v);
  return v;
}

function num(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) fail(`"${where}.${key}"`, "a number", v);
  return v;
}

function optNum(o: Obj, key: string, where: string): number | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    fail(`"${where}.${key}"`, "a number or null", v);
  }
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, where: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    fail(`"${where}.${key}"`, `one of ${allowed.join(", ")}`, v);
  }
  return v as T;
}

function decidedBy(o: Obj, where: string): DecidedBy {
  const v = o.decided_by;
  if (v === null || v === undefined) return null;
  return oneOf(o, "decided_by", where, ["human", "policy", "timeout"] as const);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) fail(`"${where}"`, "a list", v);
  return v;
}

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) fail(`"${where}"`, "an object", v);
  return v;
}

export function parseStatus(raw: unknown): Status {
  const o = obj(raw, "status");
  return {
    state: oneOf(o, "state", "status", RUN_STATES),
    epoch: num(o, "epoch", "status"),
    epochs: num(o, "epochs", "status"),
    batch: num(o, "batch", "status"),
    batches: num(o, "batches", "status"),
    message: typeof o.message === "string" ? o.message : "",
  };
}

export function parseUsage(raw: unknown): Usage {
  const o = obj(raw, "usage");
  const out: Usage = {};
  for (const [phase, value] of Object.entries(o)) {
    const p = obj(value, `usage.${phase}`);
    const where = `usage.${phase}`;
    out[phase] = {
      calls: num(p, "calls", where),
      prompt_tokens: num(p, "prompt_tokens", where),
      completion_tokens: num(p, "completion_tokens", where),
      cost: num(p, "cost", where),
      cache_hits: num(p, "cache_hits", where),
    };
  }
  return out;
}

export function parseProposal(raw: unknown): Proposal {
  const o = obj(raw, "proposal");
  const w = "proposal";
  return {
    id: str(o, "id", w),
    variable_path: str(o, "variable_path", w),
    module: typeof o.module === "string" ? o.module : "",
    before: (o.before ?? null) as JsonValue,
    after: (o.after ?? null) as JsonValue,
    reward_before: optNum(o, "reward_before", w),
    reward_after: optNum(o, "reward_after", w),
    val_reward_before: optNum(o, "val_reward_before", w),
    val_reward_after: optNum(o, "val_reward_after", w),
    rationale: typeof o.rationale === "string" ? o.rationale : "",
    status: oneOf(o, "status", w, PROPOSAL_STATUSES),
    decided_by: decidedBy(o, w),
    reason: typeof o.reason === "string" ? o.reason : "",
    epoch: num(o, "epoch", w),
    batch: num(o, "batch", w),
    batch_flips: parseFlips(o.batch_flips, "proposal.batch_flips"),
    val_flips: parseFlips(o.val_flips, "proposal.val_flips"),
  };
}

function parseFlipped(raw: unknown, where: string): FlippedSample {
  const o = obj(raw, where);
  return {
    index: num(o, "index", where),
    inputs: (o.inputs ?? null) as JsonValue,
    expected: (o.expected ?? null) as JsonValue,
    output_before: (o.output_before ?? null) as JsonValue,
    output_after: (o.output_after ?? null) as JsonValue,
    reward_before: num(o, "reward_before", where),
    reward_after: num(o, "reward_after", where),
    trace_before: optNum(o, "trace_before", where),
    trace_after: optNum(o, "trace_after", where),
  };
}

function flippedList(o: Obj, key: string, where: string): FlippedSample[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v)) fail(`"${where}.${key}"`, "a list", v);
  return v.map((x, i) => parseFlipped(x, `${where}.${key}[${i}]`));
}

export function parseFlips(raw: unknown, where = "flips"): Flips | null {
  if (raw === null || raw === undefined) return null;
  const o = obj(raw, where);
  return {
    fixed: flippedList(o, "fixed", where),
    broken: flippedList(o, "broken", where),
    fixed_count: num(o, "fixed_count", where),
    broken_count: num(o, "broken_count", where),
  };
}

function parseTraces(raw: unknown): TraceJson[] {
  if (!Array.isArray(raw)) fail('"delta.traces"', "a list", raw);
  return raw.map((t, i) => {
    const o = obj(t, `delta.traces[${i}]`);
    num(o, "id", `delta.traces[${i}]`);
    if (!Array.isArray(o.spans)) fail(`"delta.traces[${i}].spans"`, "a list", o.spans);
    return o as unknown as TraceJson;
  });
}

export function parseVersion(raw: unknown): Version {
  const o = obj(raw, "version");
  const w = "version";
  const ts = o.timestamp;
  if (ts !== null && ts !== undefined && typeof ts !== "number" && typeof ts !== "string") {
    fail('"version.timestamp"', "a number, a string or null", ts);
  }
  return {
    variable_path: str(o, "variable_path", w),
    index: num(o, "index", w),
    source: typeof o.source === "string" ? o.source : "",
    decided_by: decidedBy(o, w),
    epoch: optNum(o, "epoch", w),
    batch: optNum(o, "batch", w),
    reward_before: optNum(o, "reward_before", w),
    reward_after: optNum(o, "reward_after", w),
    timestamp: (ts ?? null) as number | string | null,
    value: (o.value ?? null) as JsonValue,
  };
}

function parsePoints(raw: unknown): Point[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('"delta.points"', "a list", raw);
  return raw.map((p, i) => {
    const o = obj(p, `delta.points[${i}]`);
    const w = `delta.points[${i}]`;
    return { series: oneOf(o, "series", w, SERIES_NAMES), x: num(o, "x", w), y: num(o, "y", w) };
  });
}

/**
 * For a widget's `msg:custom` handler: the validated message, or `null` (logged) when it
 * is malformed. A view ignores what it cannot read instead of crashing.
 */
export function receiveBackendMessage(raw: unknown): BackendMessage | null {
  try {
    return parseBackendMessage(raw);
  } catch (err) {
    console.warn("synalinks_nb: ignoring malformed message", err);
    return null;
  }
}

/** Validate a custom message from Python; throws `ProtocolError` when malformed. */
export function parseBackendMessage(raw: unknown): BackendMessage {
  const o = obj(raw, "message");
  switch (o.type) {
    case "ping":
      return { type: "ping", id: str(o, "id", "ping") };
    case "delta": {
      const msg: DeltaMessage = { type: "delta", points: parsePoints(o.points) };
      if (o.status != null) msg.status = parseStatus(o.status);
      if (o.usage != null) msg.usage = parseUsage(o.usage);
      if (o.proposals != null)
        msg.proposals = list(o.proposals, "delta.proposals").map(parseProposal);
      if (o.versions != null) msg.versions = list(o.versions, "delta.versions").map(parseVersion);
      if (o.traces != null) msg.traces = parseTraces(o.traces);
      return msg;
    }
    case "edit_error":
      return {
        type: "edit_error",
        proposal_id: str(o, "proposal_id", "edit_error"),
        message: str(o, "message", "edit_error"),
      };
    case "revert_error":
      return {
        type: "revert_error",
        variable_path: str(o, "variable_path", "revert_error"),
        message: str(o, "message", "revert_error"),
      };
    case "edit_variable_error":
      return {
        type: "edit_variable_error",
        variable_path: str(o, "variable_path", "edit_variable_error"),
        message: str(o, "message", "edit_variable_error"),
      };
    default:
      return fail(
        '"message.type"',
        "one of ping, delta, edit_error, edit_variable_error, revert_error",
        o.type,
      );
  }
}

// -- reducer ----------------------------------------------------------------------

export interface DashboardState {
  status: Status;
  series: SeriesData;
  usage: Usage;
  proposals: Proposal[];
  versions: Version[];
  traces: TraceJson[];
}

/** Traces kept in a view for the flipped samples; Python bounds the trait the same way. */
export const MAX_TRACES = 200;

/** Points kept per series in a view; Python bounds the snapshot trait the same way. */
export const MAX_POINTS = 2000;

/**
 * Fold a delta into the dashboard state, returning a new state.
 *
 * Points are appended (oldest dropped past `maxPoints`), status and usage are
 * replaced, each proposal replaces the one with the same id (or is appended), each
 * version replaces the one with the same path and index (or is appended), traces
 * are added (the oldest dropped past `MAX_TRACES`).
 */
export function applyDelta(
  state: DashboardState,
  delta: DeltaMessage,
  maxPoints = MAX_POINTS,
): DashboardState {
  const series: SeriesData = {
    train_reward: state.series.train_reward,
    val_reward: state.series.val_reward,
  };
  for (const name of SERIES_NAMES) {
    const added = delta.points
      .filter((p) => p.series === name)
      .map((p): [number, number] => [p.x, p.y]);
    if (added.length > 0) {
      const merged = series[name].concat(added);
      series[name] = merged.length > maxPoints ? merged.slice(merged.length - maxPoints) : merged;
    }
  }
  let proposals = state.proposals;
  for (const p of delta.proposals ?? []) {
    const at = proposals.findIndex((q) => q.id === p.id);
    proposals = at >= 0 ? proposals.map((q, i) => (i === at ? p : q)) : [...proposals, p];
  }
  let versions = state.versions;
  for (const v of delta.versions ?? []) {
    const at = versions.findIndex(
      (w) => w.variable_path === v.variable_path && w.index === v.index,
    );
    versions = at >= 0 ? versions.map((w, i) => (i === at ? v : w)) : [...versions, v];
  }
  let traces = state.traces;
  if (delta.traces && delta.traces.length > 0) {
    const fresh = new Set(delta.traces.map((t) => t.id));
    traces = [...traces.filter((t) => !fresh.has(t.id)), ...delta.traces].slice(-MAX_TRACES);
  }
  return {
    status: delta.status ?? state.status,
    usage: delta.usage ?? state.usage,
    series,
    proposals,
    versions,
    traces,
  };
}
