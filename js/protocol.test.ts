import { describe, expect, it, vi } from "vitest";
import {
  applyDelta,
  type DashboardState,
  decision,
  editVariable,
  type Proposal,
  ProtocolError,
  parseBackendMessage,
  pong,
  receiveBackendMessage,
  revert,
} from "./protocol";

const proposal = (over: Partial<Proposal> = {}): Proposal => ({
  id: "p1",
  variable_path: "qa/generator/state",
  module: "generator",
  before: { instructions: "Be brief." },
  after: { instructions: "Be brief and exact." },
  reward_before: 0.5,
  reward_after: 0.75,
  val_reward_before: null,
  val_reward_after: null,
  rationale: "",
  status: "pending",
  decided_by: null,
  reason: "",
  epoch: 1,
  batch: 2,
  batch_flips: null,
  val_flips: null,
  ...over,
});

const empty = (): DashboardState => ({
  status: { state: "idle", epoch: 0, epochs: 0, batch: 0, batches: 0, message: "" },
  series: { train_reward: [], val_reward: [] },
  usage: {},
  proposals: [],
  versions: [],
  traces: [],
});

describe("parseBackendMessage", () => {
  it("accepts every message Python sends", () => {
    expect(parseBackendMessage({ type: "ping", id: "a" })).toEqual({ type: "ping", id: "a" });
    expect(
      parseBackendMessage({ type: "edit_variable_error", variable_path: "v", message: "bad" }),
    ).toEqual({ type: "edit_variable_error", variable_path: "v", message: "bad" });
    expect(
      parseBackendMessage({ type: "edit_error", proposal_id: "p1", message: "bad" }).type,
    ).toBe("edit_error");
    expect(
      parseBackendMessage({ type: "revert_error", variable_path: "v", message: "no" }).type,
    ).toBe("revert_error");
    const delta = parseBackendMessage({
      type: "delta",
      points: [{ series: "train_reward", x: 1, y: 0.5 }],
      status: { state: "running", epoch: 1, epochs: 3, batch: 1, batches: 4, message: "" },
      usage: {
        inference: { calls: 2, prompt_tokens: 10, completion_tokens: 5, cost: 0, cache_hits: 1 },
      },
      proposals: [proposal()],
    });
    expect(delta).toMatchObject({
      type: "delta",
      points: [{ series: "train_reward", x: 1, y: 0.5 }],
    });
  });

  it("rejects malformed messages with a message saying what was expected", () => {
    expect(() => parseBackendMessage({ type: "nope" })).toThrow(ProtocolError);
    expect(() => parseBackendMessage("ping")).toThrow(/Expected "message" to be an object/);
    expect(() => parseBackendMessage({ type: "ping" })).toThrow(
      /"ping.id".*a string.*Received: undefined/,
    );
    expect(() =>
      parseBackendMessage({ type: "delta", points: [{ series: "loss", x: 1, y: 2 }] }),
    ).toThrow(/train_reward, val_reward/);
    expect(() =>
      parseBackendMessage({
        type: "delta",
        points: [],
        proposals: [proposal({ status: "maybe" as never })],
      }),
    ).toThrow(/"delta.proposals\[0\].status" to be one of pending/);
    expect(() => parseBackendMessage({ type: "delta", points: [], versions: {} })).toThrow(
      /"delta.versions" to be a list/,
    );
    expect(() => parseBackendMessage({ type: "highlight", node_id: null })).toThrow(ProtocolError);
  });
});

describe("outgoing messages", () => {
  it("builds decisions, with a value only for edits", () => {
    expect(decision("p1", "accept")).toEqual({
      type: "decision",
      proposal_id: "p1",
      action: "accept",
    });
    expect(decision("p1", "edit", { instructions: "x" })).toEqual({
      type: "decision",
      proposal_id: "p1",
      action: "edit",
      value: { instructions: "x" },
    });
    expect(decision("p1", "edit", null)).toMatchObject({ value: null });
    expect(() => decision("p1", "edit")).toThrow(ProtocolError);
  });

  it("builds pong, revert and edit_variable", () => {
    expect(pong("42")).toEqual({ type: "pong", id: "42" });
    expect(revert("a/b", 2)).toEqual({ type: "revert", variable_path: "a/b", index: 2 });
    expect(() => revert("a/b", -1)).toThrow(/non-negative integer/);
    expect(editVariable("a/b", [1])).toEqual({
      type: "edit_variable",
      variable_path: "a/b",
      value: [1],
    });
  });
});

describe("applyDelta", () => {
  it("adds the traces flipped samples link to, once each", () => {
    const trace = (id: number) => ({
      id,
      root: "qa",
      sample_id: 0,
      timestamp: 0,
      latency_s: 0,
      error: null,
      dropped: 0,
      spans: [],
    });
    let s = applyDelta(empty(), { type: "delta", points: [], traces: [trace(1), trace(2)] });
    s = applyDelta(s, { type: "delta", points: [], traces: [trace(2), trace(3)] });
    expect(s.traces.map((t) => t.id)).toEqual([1, 2, 3]);
    const parsed = parseBackendMessage({ type: "delta", points: [], traces: [trace(4)] });
    expect(parsed.type === "delta" && parsed.traces?.[0]?.id).toBe(4);
    expect(() => parseBackendMessage({ type: "delta", points: [], traces: [{ id: 1 }] })).toThrow(
      /"delta.traces\[0\].spans".*a list/,
    );
  });

  it("appends points, bounded to the newest ones", () => {
    let s = empty();
    for (let i = 0; i < 5; i++) {
      s = applyDelta(
        s,
        { type: "delta", points: [{ series: "train_reward", x: i, y: i / 10 }] },
        3,
      );
    }
    expect(s.series.train_reward).toEqual([
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
    ]);
    expect(s.series.val_reward).toEqual([]);
  });

  it("upserts proposals by id and versions by path and index", () => {
    let s = applyDelta(empty(), { type: "delta", points: [], proposals: [proposal()] });
    s = applyDelta(s, {
      type: "delta",
      points: [],
      proposals: [proposal({ status: "accepted", decided_by: "human" })],
    });
    expect(s.proposals).toHaveLength(1);
    expect(s.proposals[0]?.status).toBe("accepted");
    s = applyDelta(s, { type: "delta", points: [], proposals: [proposal({ id: "p2" })] });
    expect(s.proposals.map((p) => p.id)).toEqual(["p1", "p2"]);
    const v = {
      variable_path: "v",
      index: 1,
      source: "optimizer",
      decided_by: "human" as const,
      epoch: 1,
      batch: 1,
      reward_before: 0.1,
      reward_after: 0.2,
      timestamp: 0,
      value: "x",
    };
    s = applyDelta(s, { type: "delta", points: [], versions: [v] });
    s = applyDelta(s, { type: "delta", points: [], versions: [{ ...v, value: "y" }] });
    expect(s.versions).toEqual([{ ...v, value: "y" }]);
  });

  it("keeps every proposal and version of one delta (two in one throttle window)", () => {
    const v = (index: number) => ({
      variable_path: "v",
      index,
      source: "optimizer",
      decided_by: null,
      epoch: 1,
      batch: index,
      reward_before: null,
      reward_after: null,
      timestamp: 0,
      value: index,
    });
    const delta = parseBackendMessage({
      type: "delta",
      points: [],
      proposals: [proposal({ id: "a" }), proposal({ id: "b", status: "accepted" })],
      versions: [v(1), v(2)],
    });
    const s = delta.type === "delta" ? applyDelta(empty(), delta) : empty();
    expect(s.proposals.map((p) => [p.id, p.status])).toEqual([
      ["a", "pending"],
      ["b", "accepted"],
    ]);
    expect(s.versions.map((x) => x.index)).toEqual([1, 2]);
  });

  it("keeps status and usage unless the delta carries them", () => {
    const s0 = empty();
    const s1 = applyDelta(s0, { type: "delta", points: [] });
    expect(s1.status).toBe(s0.status);
    const status = {
      state: "running" as const,
      epoch: 1,
      epochs: 2,
      batch: 1,
      batches: 2,
      message: "",
    };
    expect(applyDelta(s0, { type: "delta", points: [], status }).status).toEqual(status);
  });
});

describe("receiveBackendMessage", () => {
  it("passes valid messages through and turns a malformed one into a logged null", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(receiveBackendMessage({ type: "ping", id: "a" })).toEqual({ type: "ping", id: "a" });
    expect(warn).not.toHaveBeenCalled();
    expect(receiveBackendMessage({ type: "nope" })).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
