/** A trace as the TraceViewer shows it: its spans nested by module, each with its model calls. */

import {
  type AgentRunJson,
  agentRows,
  childrenOf,
  fmtSeconds,
  fmtVariable,
  type LMCallJson,
  messageLabels,
  outcomeText,
  type SpanJson,
  type TraceJson,
} from "../trace_model";
import { brief, h, pretty } from "./dom";

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
