/**
 * TraceViewer widget view: a list of calls nested by module, or evaluation rows
 * (sort by reward, filter failures, **Open trace**), or a comparison of two
 * evaluations (outputs side by side, filter flipped samples). Read-only: it sends
 * nothing back. Mirrors `synalinks_nb/notebook/trace_viewer.py`; the pure logic
 * lives in `trace_model.ts`.
 */

import type { AnyWidget } from "@anywidget/types";
import {
  type AgentRunJson,
  agentRows,
  childrenOf,
  fmtSeconds,
  fmtVariable,
  type LMCallJson,
  messageLabels,
  type Outcome,
  outcomeText,
  type RowFilter,
  type RowJson,
  type SortKey,
  type SpanJson,
  selectRows,
  type TraceJson,
  type TraceViewerTraits,
} from "./trace_model";
import { brief, button, fill, fmtReward, h, pretty } from "./ui/dom";

function lmCallView(call: LMCallJson): HTMLElement {
  const labels = messageLabels(call.messages);
  const usage = [
    call.model,
    fmtSeconds(call.latency_s),
    `${call.prompt_tokens + call.completion_tokens} tokens`,
    call.cost ? `$${call.cost.toFixed(6)}` : "",
    call.cached ? "cache hit" : "",
    call.repaired ? "repaired" : "",
    call.phase !== "inference" ? call.phase : "",
  ].filter(Boolean);
  const messages = call.messages.map((m, i) =>
    h("div", { class: `sn-msg sn-msg-${m.role}`, "data-testid": "sn-trace-message" }, [
      h("div", { class: "sn-msg-label" }, [labels[i] ?? m.role]),
      h("pre", { class: "sn-json" }, [m.content]),
    ]),
  );
  const answers = call.raw.map((raw, i) =>
    h("div", { class: "sn-msg sn-msg-answer" }, [
      h("div", { class: "sn-msg-label" }, [i === 0 ? "answer (raw)" : "repair answer (raw)"]),
      h("pre", { class: "sn-json" }, [raw]),
      call.rejections[i]
        ? h("div", { class: "sn-error" }, [`rejected: ${call.rejections[i]}`])
        : null,
    ]),
  );
  return h("div", { class: "sn-lm-call", "data-testid": "sn-lm-call" }, [
    h("div", { class: "sn-muted" }, [usage.join(" · ")]),
    ...messages,
    ...answers,
    call.error
      ? h("div", { class: "sn-error" }, [call.error])
      : h("div", { class: "sn-msg sn-msg-parsed" }, [
          h("div", { class: "sn-msg-label" }, ["parsed"]),
          h("pre", { class: "sn-json" }, [pretty(call.output)]),
        ]),
  ]);
}

/** An agent's steps: one row per tool call (tool, arguments, result, seconds, tokens). */
function agentView(run: AgentRunJson): HTMLElement {
  const cell = (text: string, cls = ""): HTMLElement => h("td", cls ? { class: cls } : {}, [text]);
  const rows = agentRows(run).map((r) =>
    h("tr", {}, [
      cell(String(r.step)),
      cell(r.call ? r.call.tool : "(no tool: answer)"),
      cell(r.call ? brief(r.call.arguments, 60) : ""),
      r.call?.error
        ? cell(`error: ${r.call.error}`, "sn-error")
        : cell(r.call ? brief(r.call.result, 60) : brief(r.thinking, 60)),
      cell(r.call ? fmtSeconds(r.call.latency_s) : ""),
      cell(r.modelSeconds === null ? "" : fmtSeconds(r.modelSeconds)),
      cell(r.tokens === null ? "" : String(r.tokens)),
    ]),
  );
  const head = ["step", "tool", "arguments", "result", "tool s", "model s", "tokens"];
  return h("div", { class: "sn-agent-run", "data-testid": "sn-agent-run" }, [
    h("div", { class: "sn-muted" }, [`${run.agent} (${run.mode}): ${outcomeText(run.outcome)}`]),
    h("table", { class: "sn-table" }, [
      h("thead", {}, [
        h(
          "tr",
          {},
          head.map((x) => h("th", {}, [x])),
        ),
      ]),
      h("tbody", {}, rows),
    ]),
  ]);
}

function spanView(span: SpanJson, tree: Map<number, SpanJson[]>, open: boolean): HTMLElement {
  const summary = [
    `${span.module} (${span.kind})`,
    fmtSeconds(span.latency_s),
    ...span.variables.map(fmtVariable),
  ].join(" · ");
  const details = h("details", { class: "sn-trace-span", "data-testid": "sn-trace-span" }, [
    h("summary", {}, [
      summary,
      span.error ? h("span", { class: "sn-error" }, [` ${span.error}`]) : null,
    ]),
    h("div", { class: "sn-trace-io" }, [
      h("div", {}, [
        h("div", { class: "sn-msg-label" }, ["inputs"]),
        h("pre", { class: "sn-json" }, [brief(span.inputs)]),
      ]),
      h("div", {}, [
        h("div", { class: "sn-msg-label" }, ["outputs"]),
        h("pre", { class: "sn-json" }, [brief(span.outputs)]),
      ]),
    ]),
    span.agent ? agentView(span.agent) : null,
    ...span.lm_calls.map(lmCallView),
    ...(tree.get(span.index) ?? []).map((child) => spanView(child, tree, false)),
  ]);
  details.open = open;
  return details;
}

/** One trace, its root span open. */
export function traceView(trace: TraceJson, open = true): HTMLElement {
  const tree = childrenOf(trace);
  const sample = trace.sample_id === null ? "" : ` · sample ${String(trace.sample_id)}`;
  return h("section", { class: "sn-trace", "data-testid": "sn-trace", "data-trace-id": trace.id }, [
    h("div", { class: "sn-trace-title" }, [
      `trace ${trace.id} · ${trace.root}${sample} · ${fmtSeconds(trace.latency_s)}`,
      trace.error ? h("span", { class: "sn-error" }, [` ${trace.error}`]) : null,
    ]),
    ...(tree.get(-1) ?? []).map((s) => spanView(s, tree, open)),
    trace.dropped
      ? h("p", { class: "sn-muted" }, [`${trace.dropped} more call(s) not kept`])
      : null,
  ]);
}

/** The rows table and the trace panel, with their controls; keeps its state across redraws. */
class RowsView {
  readonly el = h("div", { class: "sn-eval-rows" });
  private filter: RowFilter = "all";
  private sort: SortKey = "index";
  private ascending = true;
  private openTrace: number | null = null;

  constructor(private readonly get: () => TraceViewerTraits) {}

  private outcomeCells(o: Outcome, side: string): HTMLElement[] {
    const open =
      o.trace_id === null
        ? h("span", { class: "sn-muted" }, ["no trace"])
        : button(
            side ? `Open trace (${side})` : "Open trace",
            "sn-open-trace",
            () => {
              this.openTrace = o.trace_id;
              this.draw();
            },
            { "data-trace-id": o.trace_id },
          );
    return [
      h("td", {}, [fmtReward(o.reward)]),
      h("td", {}, [
        o.error
          ? h("span", { class: "sn-error" }, [o.error])
          : h("code", {}, [brief(o.predicted, 60)]),
      ]),
      h("td", {}, [open]),
    ];
  }

  private control(label: string, testid: string, active: boolean, act: () => void): HTMLElement {
    return button(
      label,
      testid,
      () => {
        act();
        this.draw();
      },
      { "aria-pressed": active ? "true" : "false" },
    );
  }

  draw(): void {
    const t = this.get();
    const comparing = t.kind === "comparison";
    const rows = selectRows(t.rows, this.filter, this.sort, this.ascending, t.threshold);
    const byReward = (key: SortKey) => () => {
      this.ascending = this.sort === key ? !this.ascending : true;
      this.sort = key;
    };
    const controls = h("div", { class: "sn-actions" }, [
      this.control("All", "sn-filter-all", this.filter === "all", () => {
        this.filter = "all";
      }),
      this.control("Failures", "sn-filter-failures", this.filter === "failures", () => {
        this.filter = "failures";
      }),
      comparing
        ? this.control("Flipped", "sn-filter-flipped", this.filter === "flipped", () => {
            this.filter = "flipped";
          })
        : null,
      this.control(
        comparing ? "Sort by reward (after)" : "Sort by reward",
        "sn-sort-reward",
        this.sort !== "index",
        byReward(comparing ? "reward_after" : "reward"),
      ),
      this.control("Sort by sample", "sn-sort-index", this.sort === "index", () => {
        this.sort = "index";
        this.ascending = true;
      }),
    ]);
    const head = comparing
      ? ["#", "status", "expected", "reward before", "before", "", "reward after", "after", ""]
      : ["#", "expected", "reward", "predicted", ""];
    const body = rows.map((r: RowJson) =>
      h(
        "tr",
        {
          "data-testid": "sn-eval-row",
          "data-index": r.index,
          class: r.status ? `sn-status-${r.status}` : "",
        },
        [
          h("td", {}, [String(r.index)]),
          comparing ? h("td", {}, [r.status]) : null,
          h("td", {}, [h("code", {}, [brief(r.expected, 60)])]),
          ...this.outcomeCells(r, comparing ? "before" : ""),
          ...(comparing && r.after ? this.outcomeCells(r.after, "after") : []),
        ],
      ),
    );
    const shown = t.traces.find((x) => x.id === this.openTrace);
    fill(this.el, [
      controls,
      h("p", { class: "sn-muted" }, [`${rows.length} of ${t.rows.length} sample(s)`]),
      h("table", { class: "sn-table sn-eval-table" }, [
        h("thead", {}, [
          h(
            "tr",
            {},
            head.map((x) => h("th", {}, [x])),
          ),
        ]),
        h("tbody", {}, body),
      ]),
      shown
        ? h("div", { class: "sn-trace-panel", "data-testid": "sn-trace-panel" }, [traceView(shown)])
        : null,
    ]);
  }
}

const widget: AnyWidget<TraceViewerTraits> = {
  render({ model, el }) {
    const root = h("div", { class: "sn-widget sn-trace-viewer" });
    el.classList.add("sn-root");
    el.replaceChildren(root);
    const rowsView = new RowsView(() => ({
      kind: model.get("kind"),
      title: model.get("title"),
      traces: model.get("traces") ?? [],
      rows: model.get("rows") ?? [],
      threshold: model.get("threshold"),
    }));
    const draw = (): void => {
      const kind = model.get("kind");
      const traces = model.get("traces") ?? [];
      let content: HTMLElement;
      if (kind === "traces") {
        content = traces.length
          ? h(
              "div",
              {},
              [...traces].reverse().map((trace, i) => traceView(trace, i === 0)),
            )
          : h("p", { class: "sn-muted" }, [
              "No trace recorded. Tracing is on in notebooks; sn.config.traces.configure(enabled=True) turns it on elsewhere.",
            ]);
      } else {
        rowsView.draw();
        content = rowsView.el;
      }
      root.replaceChildren(
        h("div", { class: "sn-title" }, [model.get("title") || "Traces"]),
        content,
      );
    };
    const events = [
      "change:kind",
      "change:traces",
      "change:rows",
      "change:threshold",
      "change:title",
    ];
    for (const e of events) model.on(e, draw);
    draw();
    return () => {
      for (const e of events) model.off(e, draw);
    };
  },
};

export default widget;
