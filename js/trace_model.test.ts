import { describe, expect, it } from "vitest";
import {
  type AgentRunJson,
  agentRows,
  childrenOf,
  fmtSeconds,
  fmtVariable,
  isFailure,
  messageLabels,
  outcomeText,
  type RowJson,
  type SpanJson,
  selectRows,
  type ToolCallRecordJson,
  type TraceJson,
} from "./trace_model";

const span = (index: number, parent: number | null, module: string): SpanJson => ({
  index,
  parent,
  depth: parent === null ? 0 : 1,
  module,
  kind: "Generator",
  inputs: {},
  outputs: {},
  error: null,
  start_s: 0,
  latency_s: 0.01,
  variables: [],
  lm_calls: [],
});

const row = (index: number, reward: number, extra: Partial<RowJson> = {}): RowJson => ({
  index,
  inputs: { q: String(index) },
  expected: { a: "x" },
  predicted: { a: "x" },
  reward,
  error: null,
  trace_id: index + 100,
  status: "",
  after: null,
  ...extra,
});

describe("span tree", () => {
  it("groups spans under their parent, roots under -1, in start order", () => {
    const trace: TraceJson = {
      id: 1,
      root: "p",
      sample_id: 0,
      timestamp: 0,
      latency_s: 1,
      error: null,
      dropped: 0,
      spans: [span(0, null, "p"), span(1, 0, "a"), span(2, 0, "b"), span(3, 1, "c")],
    };
    const tree = childrenOf(trace);
    expect(tree.get(-1)?.map((s) => s.module)).toEqual(["p"]);
    expect(tree.get(0)?.map((s) => s.module)).toEqual(["a", "b"]);
    expect(tree.get(1)?.map((s) => s.module)).toEqual(["c"]);
    expect(tree.get(2)).toBeUndefined();
  });
});

describe("message labels", () => {
  it("names the system prompt, example turns and the input", () => {
    const roles = ["system", "user", "assistant", "user", "assistant", "user"];
    expect(messageLabels(roles.map((role) => ({ role })))).toEqual([
      "system",
      "example 1 · input",
      "example 1 · output",
      "example 2 · input",
      "example 2 · output",
      "input",
    ]);
  });

  it("a single user message is the input", () => {
    expect(messageLabels([{ role: "user" }])).toEqual(["input"]);
  });
});

describe("row selection", () => {
  const rows = [row(0, 1), row(1, 0), row(2, 0.5), row(3, 0, { error: "ProviderError: down" })];

  it("sorts by reward both ways, ties by index, without mutating the input", () => {
    expect(selectRows(rows, "all", "reward", true, 1).map((r) => r.index)).toEqual([1, 3, 2, 0]);
    expect(selectRows(rows, "all", "reward", false, 1).map((r) => r.index)).toEqual([0, 2, 1, 3]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it("keeps failures: errors and rewards below the threshold", () => {
    expect(selectRows(rows, "failures", "index", true, 1).map((r) => r.index)).toEqual([1, 2, 3]);
    expect(selectRows(rows, "failures", "index", true, 0.5).map((r) => r.index)).toEqual([1, 3]);
  });

  it("in a comparison, failures are judged on the after side and flipped rows kept", () => {
    const after = { predicted: null, reward: 1, error: null, trace_id: 7 };
    const fixed = row(0, 0, { status: "fixed", after });
    const broken = row(1, 1, { status: "broken", after: { ...after, reward: 0 } });
    const same = row(2, 1, { status: "right", after });
    expect(isFailure(fixed, 1)).toBe(false);
    expect(isFailure(broken, 1)).toBe(true);
    const flipped = selectRows([same, broken, fixed], "flipped", "index", true, 1);
    expect(flipped.map((r) => r.status)).toEqual(["fixed", "broken"]);
    const byAfter = selectRows([same, broken, fixed], "all", "reward_after", true, 1);
    expect(byAfter.map((r) => r.index)).toEqual([1, 0, 2]);
  });
});

describe("formatting", () => {
  it("formats seconds and variable versions", () => {
    expect(fmtSeconds(0.0123)).toBe("12 ms");
    expect(fmtSeconds(1.2)).toBe("1.20 s");
    expect(fmtVariable({ path: "gen/instructions", version: 2, candidate: true })).toBe(
      "gen/instructions@v2 (candidate)",
    );
  });
});

describe("agentRows", () => {
  const call = (tool: string, latency_s = 0.01): ToolCallRecordJson => ({
    id: `call_${tool}`,
    tool,
    arguments: { x: 1 },
    result: { result: 2 },
    error: null,
    latency_s,
  });
  const run: AgentRunJson = {
    agent: "math",
    mode: "autonomous",
    max_iterations: 5,
    outcome: "answered",
    steps: [
      {
        index: 1,
        thinking: "two calls",
        calls: [call("add"), call("mul")],
        latency_s: 0.5,
        prompt_tokens: 10,
        completion_tokens: 3,
      },
      {
        index: 2,
        thinking: "done",
        calls: [],
        latency_s: 0.2,
        prompt_tokens: 12,
        completion_tokens: 1,
      },
    ],
  };

  it("puts a decision's seconds and tokens on the first row of its step", () => {
    const rows = agentRows(run);
    expect(rows.map((r) => [r.step, r.call?.tool ?? null, r.modelSeconds, r.tokens])).toEqual([
      [1, "add", 0.5, 13],
      [1, "mul", null, null],
      [2, null, 0.2, 13],
    ]);
    expect(rows[2]?.thinking).toBe("done");
  });

  it("explains each outcome and keeps unknown ones as they are", () => {
    expect(outcomeText("max_iterations")).toContain("max_iterations");
    expect(outcomeText("something new")).toBe("something new");
  });
});
