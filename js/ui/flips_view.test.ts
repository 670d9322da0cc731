import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFlips, parseProposal } from "../protocol";
import type { TraceJson } from "../trace_model";
import { type FakeElement, installFakeDocument } from "./fake_dom";
import { FlipsView, flipRows, flipsSummary, notListed } from "./flips_view";

const sample = (index: number, before: number, after: number) => ({
  index,
  inputs: { item: `s${index}` },
  expected: { label: `S${index}` },
  output_before: { label: before ? `S${index}` : "?" },
  output_after: { label: after ? `S${index}` : "?" },
  reward_before: before,
  reward_after: after,
  trace_before: 10 + index,
  trace_after: null,
});

const flips = parseFlips({
  fixed: [sample(3, 0, 1), sample(4, 0, 1)],
  broken: [sample(1, 1, 0)],
  fixed_count: 25,
  broken_count: 1,
});

describe("the proposal card's flipped samples", () => {
  it("sums them up as the card's clickable line", () => {
    expect(flips && flipsSummary(flips, "on its batch")).toBe("fixes 25 · breaks 1 on its batch");
  });

  it("lists fixed then broken samples with both outputs side by side and their traces", () => {
    const rows = flips ? flipRows(flips) : [];
    expect(rows.map((r) => [r.status, r.index])).toEqual([
      ["fixed", 3],
      ["fixed", 4],
      ["broken", 1],
    ]);
    expect(rows[2]).toMatchObject({
      inputs: '{"item":"s1"}',
      expected: '{"label":"S1"}',
      before: '1.000 {"label":"S1"}',
      after: '0.000 {"label":"?"}',
      traceBefore: 11,
      traceAfter: null,
    });
  });

  it("says how many were not listed", () => {
    expect(notListed(2, 25)).toBe("… and 23 more not listed");
    expect(notListed(1, 1)).toBeNull();
  });

  it("is absent until the proposal is scored, and malformed lists are refused", () => {
    const p = parseProposal({ id: "p", variable_path: "v", status: "pending", epoch: 1, batch: 1 });
    expect([p.batch_flips, p.val_flips]).toEqual([null, null]);
    expect(() =>
      parseFlips({ fixed: [{ index: 1 }], broken: [], fixed_count: 1, broken_count: 0 }),
    ).toThrow(/"flips.fixed\[0\].reward_before".*a number/);
  });
});

describe("the card's list of flipped samples, rendered", () => {
  let uninstall = (): void => {};
  beforeAll(() => {
    uninstall = installFakeDocument();
  });
  afterAll(() => uninstall());

  const trace: TraceJson = {
    id: 11,
    root: "flipper",
    sample_id: 1,
    timestamp: 0,
    latency_s: 0.25,
    error: null,
    dropped: 0,
    spans: [],
  };

  it("sums up, lists both outputs side by side, and opens a sample's trace", () => {
    const view = new FlipsView("on its batch", "sn-batch-flips", () => [trace]);
    view.update(flips);
    const el = view.el as unknown as FakeElement;
    expect(el.hidden).toBe(false);
    expect(el.findAll((x) => x.tagName === "summary")[0]?.textContent).toBe(
      "fixes 25 · breaks 1 on its batch",
    );
    const rows = el.byTestId("sn-flip-row");
    expect(rows.map((r) => r.getAttribute("data-index"))).toEqual(["3", "4", "1"]);
    expect(rows[2]?.textContent).toContain('1.000 {"label":"S1"}0.000 {"label":"?"}');
    expect(el.textContent).toContain("… and 23 more not listed");
    // Sample 1 has a trace before the change and none after.
    const open = rows[2]?.byTestId("sn-open-trace") ?? [];
    expect(open.map((b) => b.textContent)).toEqual(["Open trace (before)"]);
    open[0]?.click();
    const panel = el.byTestId("sn-trace-panel");
    expect(panel[0]?.textContent).toContain("trace 11 · flipper · sample 1");
    el.byTestId("sn-open-trace")[2]?.click(); // the same button again closes it
    expect(el.byTestId("sn-trace-panel")).toHaveLength(0);
  });

  it("says so when a trace is no longer kept, and hides until the proposal is scored", () => {
    const view = new FlipsView("on validation", "sn-val-flips", () => []);
    view.update(flips);
    const el = view.el as unknown as FakeElement;
    el.byTestId("sn-open-trace")[0]?.click();
    expect(el.textContent).toContain("This trace is no longer kept.");
    view.update(null);
    expect(el.hidden).toBe(true);
  });
});
