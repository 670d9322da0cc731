/**
 * The samples a proposal fixed and broke, on a proposal card: a "fixes N · breaks M on its
 * batch" summary that expands to the samples, both outputs side by side, each opening the
 * trace of either call (when traces were on) like the TraceViewer's rows do.
 */

import type { FlippedSample, Flips } from "../protocol";
import type { TraceJson } from "../trace_model";
import { brief, button, fill, fmtReward, h } from "./dom";
import { traceView } from "./trace_view";

/** "fixes 3 · breaks 1 on its batch". */
export const flipsSummary = (f: Flips, where: string): string =>
  `fixes ${f.fixed_count} · breaks ${f.broken_count} ${where}`;

/** "… and 5 more not listed" when only the first ones were kept, else null. */
export function notListed(kept: number, count: number): string | null {
  return count > kept ? `… and ${count - kept} more not listed` : null;
}

/** One flipped sample as its table row shows it. */
export interface FlipRow {
  index: number;
  status: "fixed" | "broken";
  inputs: string;
  expected: string;
  before: string;
  after: string;
  traceBefore: number | null;
  traceAfter: number | null;
}

const flipRow = (s: FlippedSample, status: FlipRow["status"]): FlipRow => ({
  index: s.index,
  status,
  inputs: brief(s.inputs, 60),
  expected: brief(s.expected, 60),
  before: `${fmtReward(s.reward_before)} ${brief(s.output_before, 60)}`,
  after: `${fmtReward(s.reward_after)} ${brief(s.output_after, 60)}`,
  traceBefore: s.trace_before,
  traceAfter: s.trace_after,
});

/** The rows of the list: the fixed samples, then the broken ones, each in sample order. */
export const flipRows = (f: Flips): FlipRow[] => [
  ...f.fixed.map((s) => flipRow(s, "fixed")),
  ...f.broken.map((s) => flipRow(s, "broken")),
];

/** One expandable list of flipped samples; keeps its open state and open trace across redraws. */
export class FlipsView {
  readonly el: HTMLDetailsElement;
  private readonly summary = h("summary", { class: "sn-flips-summary" });
  private readonly body = h("div", { class: "sn-flips-body" });
  private flips: Flips | null = null;
  private key = "";
  private openTrace: number | null = null;

  constructor(
    private readonly where: string,
    testid: string,
    private readonly traces: () => readonly TraceJson[],
  ) {
    this.el = h("details", { class: "sn-flips", "data-testid": testid }, [this.summary, this.body]);
  }

  /** Show `flips` (null hides the section). */
  update(flips: Flips | null): void {
    this.el.hidden = flips === null;
    const key = JSON.stringify(flips);
    if (key === this.key) return;
    this.key = key;
    this.flips = flips;
    this.draw();
  }

  private traceButton(id: number | null, side: string): HTMLElement {
    if (id === null) return h("span", { class: "sn-muted" }, ["no trace"]);
    return button(
      `Open trace (${side})`,
      "sn-open-trace",
      () => {
        this.openTrace = this.openTrace === id ? null : id;
        this.draw();
      },
      { "data-trace-id": id, "aria-pressed": this.openTrace === id ? "true" : "false" },
    );
  }

  private row(r: FlipRow): HTMLElement {
    return h(
      "tr",
      { class: `sn-status-${r.status}`, "data-testid": "sn-flip-row", "data-index": r.index },
      [
        h("td", {}, [String(r.index)]),
        h("td", {}, [r.status]),
        h("td", {}, [h("code", {}, [r.inputs])]),
        h("td", {}, [h("code", {}, [r.expected])]),
        h("td", {}, [h("code", {}, [r.before])]),
        h("td", {}, [h("code", {}, [r.after])]),
        h("td", {}, [
          this.traceButton(r.traceBefore, "before"),
          this.traceButton(r.traceAfter, "after"),
        ]),
      ],
    );
  }

  private draw(): void {
    const f = this.flips;
    if (!f) return;
    this.summary.textContent = flipsSummary(f, this.where);
    const empty = f.fixed_count + f.broken_count === 0;
    const shown =
      this.openTrace === null ? undefined : this.traces().find((t) => t.id === this.openTrace);
    const more = [
      notListed(f.fixed.length, f.fixed_count),
      notListed(f.broken.length, f.broken_count),
    ]
      .filter((x): x is string => x !== null)
      .map((text) => h("p", { class: "sn-muted" }, [text]));
    fill(this.body, [
      empty
        ? h("p", { class: "sn-muted" }, ["No sample changed verdict."])
        : h("table", { class: "sn-table sn-flips-table" }, [
            h("thead", {}, [
              h(
                "tr",
                {},
                ["#", "", "inputs", "expected", "before", "after", "traces"].map((c) =>
                  h("th", { scope: "col" }, [c]),
                ),
              ),
            ]),
            h(
              "tbody",
              {},
              flipRows(f).map((r) => this.row(r)),
            ),
          ]),
      ...more,
      this.openTrace === null
        ? null
        : shown
          ? h("div", { class: "sn-trace-panel", "data-testid": "sn-trace-panel" }, [
              traceView(shown),
            ])
          : h("p", { class: "sn-muted" }, ["This trace is no longer kept."]),
    ]);
  }
}
