/**
 * TrainingDashboard widget view: progress, reward chart, usage, proposals with
 * Accept / Edit / Reject, version history with Revert, and a small graph that
 * highlights the module under review.
 *
 * State: the synced traits are the snapshot (source of truth when a view
 * renders or a trait changes); `delta` messages are folded into a local copy
 * with `applyDelta`, and the DOM is redrawn at most ~10 times per second.
 * Mirrors `synalinks_nb/notebook/training_dashboard.py`.
 */

import type { AnyModel, AnyWidget } from "@anywidget/types";
import { LineChart } from "./chart";
import { diffJson } from "./diff";
import { layeredLayout } from "./graph/model";
import { GraphView } from "./graph/view";
import {
  acceptAll,
  applyDelta,
  type DashboardState,
  type DashboardTraits,
  decision,
  hello,
  type JsonValue,
  type Proposal,
  pong,
  receiveBackendMessage,
  revert,
  stop,
  type Usage,
} from "./protocol";
import type { TraceJson } from "./trace_model";
import { renderDiff } from "./ui/diff_view";
import { button, fill, fmtReward, h, keepOrReplace } from "./ui/dom";
import { InlineEditor } from "./ui/editor";
import { FlipsView } from "./ui/flips_view";
import { historyTable } from "./ui/history_table";
import { fmtDelta, type ScoreLine, scoreLines, whyText } from "./ui/proposal_scores";
import { asGraph } from "./widget_base";

const RENDER_INTERVAL_MS = 100;

function snapshot(model: AnyModel<DashboardTraits>): DashboardState {
  const series = model.get("series") ?? { train_reward: [], val_reward: [] };
  return {
    status: model.get("status"),
    series: { train_reward: series.train_reward ?? [], val_reward: series.val_reward ?? [] },
    usage: model.get("usage") ?? {},
    proposals: model.get("proposals") ?? [],
    versions: model.get("versions") ?? [],
    traces: model.get("traces") ?? [],
  };
}

function usageTable(usage: Usage): HTMLElement {
  const phases = Object.keys(usage).sort();
  const total = { calls: 0, prompt_tokens: 0, completion_tokens: 0, cost: 0, cache_hits: 0 };
  for (const p of phases) {
    const u = usage[p];
    if (!u) continue;
    total.calls += u.calls;
    total.prompt_tokens += u.prompt_tokens;
    total.completion_tokens += u.completion_tokens;
    total.cost += u.cost;
    total.cache_hits += u.cache_hits;
  }
  const row = (name: string, u: typeof total, cls = "") =>
    h("tr", { class: cls }, [
      h("th", { scope: "row" }, [name]),
      ...[u.calls, u.prompt_tokens, u.completion_tokens, u.cache_hits].map((n) =>
        h("td", {}, [n.toLocaleString()]),
      ),
      h("td", {}, [`$${u.cost.toFixed(4)}`]),
    ]);
  return h("table", { class: "sn-table sn-usage", "data-testid": "sn-usage" }, [
    h("thead", {}, [
      h(
        "tr",
        {},
        ["Phase", "Calls", "Prompt tok.", "Completion tok.", "Cache hits", "Cost"].map((c) =>
          h("th", { scope: "col" }, [c]),
        ),
      ),
    ]),
    h("tbody", {}, [
      ...phases.map((p) => {
        const u = usage[p];
        return u ? row(p, u) : null;
      }),
      row("total", total, "sn-total"),
    ]),
  ]);
}

/** A "before → after (delta)" line of a proposal card. */
const scoreRow = (cls: string, line: ScoreLine): HTMLElement =>
  h("div", { class: cls }, [
    line.text,
    line.delta === null
      ? null
      : h("span", { class: line.delta >= 0 ? "sn-up" : "sn-down" }, [` (${fmtDelta(line.delta)})`]),
  ]);

/** One proposal card; keeps its editor (and the user's draft) across redraws. */
class ProposalCard {
  readonly el: HTMLElement;
  private proposal: Proposal | null = null;
  private key = "";
  private editor: InlineEditor | null = null;
  private pendingError = "";
  private readonly batchFlips: FlipsView;
  private readonly valFlips: FlipsView;

  constructor(
    private readonly send: (msg: ReturnType<typeof decision>) => void,
    traces: () => readonly TraceJson[],
  ) {
    this.el = h("article", { class: "sn-proposal", "data-testid": "sn-proposal" });
    this.batchFlips = new FlipsView("on its batch", "sn-batch-flips", traces);
    this.valFlips = new FlipsView("on validation", "sn-val-flips", traces);
  }

  update(p: Proposal): void {
    const key = JSON.stringify(p);
    if (key === this.key) return;
    this.key = key;
    this.proposal = p;
    if (p.status !== "pending") this.editor = null;
    this.draw();
  }

  showEditError(message: string): void {
    this.pendingError = message;
    if (!this.editor && this.proposal) this.openEditor();
    this.editor?.showError(message);
  }

  private openEditor(): void {
    const p = this.proposal;
    if (!p) return;
    this.editor = new InlineEditor(
      p.after,
      (value: JsonValue) => this.send(decision(p.id, "edit", value)),
      () => {
        this.editor = null;
        this.pendingError = "";
        this.draw();
        this.el.querySelector<HTMLButtonElement>(".sn-edit")?.focus();
      },
      `Edited value of ${p.variable_path}`,
    );
    this.draw();
    this.editor.focus();
  }

  private draw(): void {
    const p = this.proposal;
    if (!p) return;
    const pending = p.status === "pending";
    this.el.className = `sn-proposal sn-proposal--${p.status}`;
    this.el.dataset.proposalId = p.id;
    const scores = scoreLines(p);
    const why = whyText(p);
    this.batchFlips.update(p.batch_flips);
    this.valFlips.update(p.val_flips);
    fill(this.el, [
      h("header", { class: "sn-proposal-head" }, [
        h("code", { class: "sn-variable-path" }, [p.variable_path]),
        p.module ? h("span", { class: "sn-muted" }, [` in ${p.module}`]) : null,
        h("span", { class: "sn-muted" }, [` · epoch ${p.epoch}, batch ${p.batch}`]),
        h("span", { class: `sn-pill sn-status-${p.status}`, "data-testid": "sn-proposal-status" }, [
          p.status + (p.decided_by && !pending ? ` (${p.decided_by})` : ""),
        ]),
      ]),
      scoreRow("sn-rewards", scores.batch),
      scores.validation ? scoreRow("sn-val-rewards", scores.validation) : null,
      this.batchFlips.el,
      this.valFlips.el,
      why
        ? h("p", { class: "sn-why", "data-testid": "sn-why" }, [
            h("strong", {}, ["Why this change: "]),
            why,
          ])
        : null,
      p.reason ? h("p", { class: "sn-reason" }, [p.reason]) : null,
      renderDiff(diffJson(p.before, p.after)),
      pending && this.editor ? this.editor.el : null,
      pending && !this.editor
        ? h("div", { class: "sn-actions" }, [
            button("Accept", "sn-accept", () => this.send(decision(p.id, "accept"))),
            button("Edit", "sn-edit", () => this.openEditor()),
            button("Reject", "sn-reject", () => this.send(decision(p.id, "reject"))),
          ])
        : null,
    ]);
    if (this.editor && this.pendingError) this.editor.showError(this.pendingError);
  }
}

const widget: AnyWidget<DashboardTraits> = {
  render({ model, el }) {
    let state = snapshot(model);
    const send = (msg: unknown): void => model.send(msg);

    const title = h("div", { class: "sn-title" }, ["Training"]);
    const statusLine = h("div", { class: "sn-status", "data-testid": "sn-status", role: "status" });
    const progress = h("progress", {
      class: "sn-progress",
      "data-testid": "sn-progress",
      max: 1,
      value: 0,
    });
    const banner = h("div", { class: "sn-banner", "data-testid": "sn-banner", role: "note" });
    const chart = new LineChart();
    const usageBox = h("div", { class: "sn-usage-box" });
    const live = h("div", {
      class: "sn-sr-only sn-live",
      "aria-live": "polite",
      "data-testid": "sn-live",
    });
    const acceptAllBtn = button("Accept all remaining", "sn-accept-all", () => send(acceptAll()));
    const stopBtn = button("Stop training", "sn-stop", () => send(stop()));
    const pendingBox = h("div", { class: "sn-pending", "data-testid": "sn-pending" });
    const noneWaiting = h("p", { class: "sn-muted" }, ["No proposal waiting."]);
    const decidedBox = h("div", { class: "sn-decided" });
    const decidedDetails = h("details", { class: "sn-decided-details" }, [
      h("summary", {}, ["Decided proposals"]),
      decidedBox,
    ]);
    const historyBox = h("div", { class: "sn-history-box" });
    const historyTitle = h("h4", {}, ["Version history"]);
    const revertError = h("div", {
      class: "sn-revert-error",
      "data-testid": "sn-revert-error",
      role: "alert",
    });
    revertError.hidden = true;
    const graph = new GraphView({ layout: layeredLayout, height: 220 });
    const cards = new Map<string, ProposalCard>();
    const announced = new Set<string>(state.proposals.map((p) => p.id));

    el.classList.add("sn-root");
    el.replaceChildren(
      h("div", { class: "sn-widget sn-dashboard" }, [
        h("div", { class: "sn-dash-head" }, [title, statusLine]),
        progress,
        banner,
        live,
        h("div", { class: "sn-row" }, [chart.el, usageBox]),
        h("div", { class: "sn-actions sn-run-actions" }, [acceptAllBtn, stopBtn]),
        h("section", { class: "sn-proposals", "aria-label": "Proposals" }, [
          h("h4", {}, ["Proposals"]),
          pendingBox,
          decidedDetails,
        ]),
        h("div", { class: "sn-row" }, [
          h("section", { class: "sn-graph-box", "aria-label": "Program graph" }, [
            h("h4", {}, ["Program"]),
            graph.el,
          ]),
          h("section", { class: "sn-history-section", "aria-label": "Version history" }, [
            historyTitle,
            revertError,
            historyBox,
          ]),
        ]),
      ]),
    );

    const cardFor = (p: Proposal): ProposalCard => {
      let card = cards.get(p.id);
      if (!card) {
        card = new ProposalCard(send, () => state.traces);
        cards.set(p.id, card);
      }
      card.update(p);
      return card;
    };

    const draw = (): void => {
      const st = state.status;
      const running = st && (st.state === "running" || st.state === "waiting");
      statusLine.textContent = st
        ? `${st.state} · epoch ${st.epoch}/${st.epochs} · batch ${st.batch}/${st.batches}${st.message ? ` · ${st.message}` : ""}`
        : "idle";
      statusLine.dataset.state = st?.state ?? "idle";
      const total = st ? st.epochs * Math.max(1, st.batches) : 0;
      const done = st ? Math.max(0, st.epoch - 1) * Math.max(1, st.batches) + st.batch : 0;
      progress.value = total > 0 ? Math.min(1, done / total) : st?.state === "done" ? 1 : 0;
      const bannerText = model.get("banner") ?? "";
      banner.textContent = bannerText;
      banner.hidden = !bannerText;
      acceptAllBtn.disabled = !running;
      stopBtn.disabled = !running;
      chart.update(state.series);
      usageBox.replaceChildren(usageTable(state.usage));

      const pending = state.proposals.filter((p) => p.status === "pending");
      const decided = state.proposals.filter((p) => p.status !== "pending").reverse();
      keepOrReplace(pendingBox, pending.length ? pending.map((p) => cardFor(p).el) : [noneWaiting]);
      keepOrReplace(
        decidedBox,
        decided.map((p) => cardFor(p).el),
      );
      decidedDetails
        .querySelector("summary")
        ?.replaceChildren(`Decided proposals (${decided.length})`);
      for (const p of pending) {
        if (announced.has(p.id)) continue;
        announced.add(p.id);
        live.textContent = `New proposal for ${p.variable_path}: reward ${fmtReward(p.reward_before)} → ${fmtReward(p.reward_after)}.`;
      }
      // One trainable variable (the usual case): its path goes in the heading, not a column.
      const paths = [...new Set(state.versions.map((v) => v.variable_path))];
      historyTitle.textContent =
        paths.length === 1 ? `Version history · ${paths[0]}` : "Version history";
      historyBox.replaceChildren(
        historyTable(
          state.versions,
          (v) => send(revert(v.variable_path, v.index)),
          paths.length > 1,
        ),
      );

      // Highlight the module under review: the explicit trait, else the pending proposal's node.
      const g = asGraph(model.get("graph"));
      let hl = model.get("highlight");
      if (!hl && pending[0] && g)
        hl = g.nodes.find((n) => n.variables.includes(pending[0]?.variable_path ?? ""))?.id ?? null;
      graph.highlight(hl ?? null);
    };

    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const schedule = (): void => {
      if (timer !== null) return;
      const wait = Math.max(0, last + RENDER_INTERVAL_MS - Date.now());
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        draw();
      }, wait);
    };

    const onMessage = (raw: unknown): void => {
      const msg = receiveBackendMessage(raw);
      if (msg === null) return;
      switch (msg.type) {
        case "ping":
          send(pong(msg.id));
          break;
        case "delta":
          state = applyDelta(state, msg);
          schedule();
          break;
        case "edit_error":
          cards.get(msg.proposal_id)?.showEditError(msg.message);
          break;
        case "revert_error":
          revertError.textContent = `Could not revert ${msg.variable_path}: ${msg.message}`;
          revertError.hidden = false;
          break;
        case "edit_variable_error":
          break; // VariableHistory's answer; a dashboard never asks for it
      }
    };
    const onSnapshot = (): void => {
      state = snapshot(model);
      schedule();
    };
    const onGraph = (): void => {
      graph.setGraph(asGraph(model.get("graph")));
      schedule();
    };
    const traits = [
      "status",
      "series",
      "usage",
      "proposals",
      "versions",
      "traces",
      "banner",
      "highlight",
    ] as const;
    model.on("msg:custom", onMessage);
    for (const t of traits) model.on(`change:${t}`, onSnapshot);
    model.on("change:graph", onGraph);

    graph.setGraph(asGraph(model.get("graph")));
    draw();
    last = Date.now();
    requestAnimationFrame(() => graph.fit());
    send(hello());

    return () => {
      if (timer !== null) clearTimeout(timer);
      model.off("msg:custom", onMessage);
      for (const t of traits) model.off(`change:${t}`, onSnapshot);
      model.off("change:graph", onGraph);
    };
  },
};

export default widget;
