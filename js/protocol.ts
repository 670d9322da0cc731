/**
 * The wire protocol between the Python widgets and their views.
 *
 * The shapes that cross the comm (snapshot traits, messages both ways) are GENERATED from
 * Python's models (`synalinks_nb/notebook/protocol.py` → JSON Schema →
 * `generated/contract.ts`, by `scripts/gen_ts_contract.py`) and re-exported here. Every
 * message from Python is checked against that schema (`contract_check.ts`), since a view
 * must never crash on a malformed message; the messages the view sends are built here
 * (and validated again in Python). What is written by hand: the graph description (not a
 * protocol model), the traits of each widget, and `applyDelta`, the pure reducer the
 * dashboard uses to fold a coalesced `delta` message into its copy of the snapshot.
 */

import { check, fail, ProtocolError } from "./contract_check";
import type * as C from "./generated/contract";
import type { TraceJson } from "./trace_model";

export { ProtocolError } from "./contract_check";
export type {
  DecidedBy,
  EditErrorMessage,
  EditVariableErrorMessage,
  FlippedSample,
  Flips,
  JsonValue,
  PhaseUsage,
  PingMessage,
  Point,
  Proposal,
  ProposalStatus,
  RevertErrorMessage,
  RunState,
  SeriesName,
  Status,
  VariableEntry,
  Version,
} from "./generated/contract";
export {
  MAX_POINTS,
  MAX_TRACES,
  PROPOSAL_STATUS_VALUES as PROPOSAL_STATUSES,
  RUN_STATE_VALUES as RUN_STATES,
  SERIES_NAME_VALUES as SERIES_NAMES,
} from "./generated/contract";

import { MAX_POINTS, MAX_TRACES, SERIES_NAME_VALUES } from "./generated/contract";

type JsonValue = C.JsonValue;

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

// -- widget traits ----------------------------------------------------------------

/** Usage per phase ("inference", "reward", "optimizer"...). */
export type Usage = Record<string, C.PhaseUsage>;

/** `[x, reward]` pairs; x is the global batch (a validation point: its epoch's last batch). */
export type SeriesData = Record<C.SeriesName, [number, number][]>;

/** Synced traits of `TrainingDashboard`. */
export interface DashboardTraits {
  graph: Graph | Record<string, never>;
  status: C.Status;
  banner: string;
  series: SeriesData;
  usage: Usage;
  proposals: C.Proposal[];
  versions: C.Version[];
  /** Traces the flipped samples open (`CallTrace.to_dict()`), bounded. */
  traces: TraceJson[];
  highlight: string | null;
}

/** Synced traits of `ProgramGraph`. */
export interface ProgramGraphTraits {
  graph: Graph | Record<string, never>;
  selected: string | null;
}

/** Synced traits of `VariableHistory`. */
export interface VariableHistoryTraits {
  variables: C.VariableEntry[];
}

// -- messages ------------------------------------------------------------------------

/** A delta as the view uses it: its traces typed as the TraceViewer's. */
export type DeltaMessage = Omit<C.DeltaMessage, "traces"> & { traces?: TraceJson[] | null };

export type BackendMessage = Exclude<C.BackendMessage, C.DeltaMessage> | DeltaMessage;
export type FrontendMessage = C.FrontendMessage;
export type DecisionAction = C.DecisionMessage["action"];

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

// -- validation -----------------------------------------------------------------------

export const parseStatus = (raw: unknown): C.Status => check("Status", raw, "status");
export const parseProposal = (raw: unknown): C.Proposal => check("Proposal", raw, "proposal");
export const parseVersion = (raw: unknown): C.Version => check("Version", raw, "version");

export function parseFlips(raw: unknown, where = "flips"): C.Flips | null {
  return raw === null || raw === undefined ? null : check("Flips", raw, where);
}

/** Traces are `CallTrace.to_dict()`, not a protocol model: check what the view relies on. */
function checkTraces(traces: JsonValue[]): TraceJson[] {
  return traces.map((t, i) => {
    const where = `delta.traces[${i}]`;
    if (typeof t !== "object" || t === null || Array.isArray(t)) fail(where, "an object", t);
    if (typeof t.id !== "number") fail(`${where}.id`, "a number", t.id);
    if (!Array.isArray(t.spans)) fail(`${where}.spans`, "a list", t.spans);
    return t as unknown as TraceJson;
  });
}

/** Validate a custom message from Python; throws `ProtocolError` when malformed. */
export function parseBackendMessage(raw: unknown): BackendMessage {
  const msg = check<C.BackendMessage>("BackendMessage", raw, "message");
  if (msg.type !== "delta") return msg;
  const { traces, ...rest } = msg;
  return traces ? { ...rest, traces: checkTraces(traces) } : rest;
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

// -- reducer --------------------------------------------------------------------------

export interface DashboardState {
  status: C.Status;
  series: SeriesData;
  usage: Usage;
  proposals: C.Proposal[];
  versions: C.Version[];
  traces: TraceJson[];
}

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
  for (const name of SERIES_NAME_VALUES) {
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
