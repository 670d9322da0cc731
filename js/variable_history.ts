/**
 * VariableHistory widget view: for each variable, its current value with an
 * **Edit** button, the versions table with **Revert** per row, and a diff
 * between any two versions. Works outside fit (messages `edit_variable` and
 * `revert`; Python answers errors with `edit_variable_error` or `revert_error`). Mirrors
 * `synalinks_nb/notebook/variable_history.py`.
 */

import type { AnyWidget } from "@anywidget/types";
import { diffJson } from "./diff";
import {
  editVariable,
  hello,
  pong,
  receiveBackendMessage,
  revert,
  type VariableEntry,
  type VariableHistoryTraits,
} from "./protocol";
import { renderDiff } from "./ui/diff_view";
import { button, fill, h, pretty } from "./ui/dom";
import { InlineEditor } from "./ui/editor";
import { historyTable } from "./ui/history_table";
import { listen } from "./widget_base";

/** One variable's section; keeps its editor and diff selection across redraws. */
class VariableSection {
  readonly el: HTMLElement;
  private entry: VariableEntry | null = null;
  private editor: InlineEditor | null = null;
  private error = "";
  private from: number | null = null;
  private to: number | null = null;

  constructor(private readonly send: (msg: unknown) => void) {
    this.el = h("section", { class: "sn-variable", "data-testid": "sn-variable" });
  }

  update(entry: VariableEntry): void {
    this.entry = entry;
    this.draw();
  }

  showEditError(message: string): void {
    this.editor?.showError(message);
  }

  showRevertError(message: string): void {
    this.error = message;
    this.draw();
  }

  private diffPicker(entry: VariableEntry): HTMLElement | null {
    const vs = entry.versions;
    if (vs.length < 2) return null;
    const last = vs[vs.length - 1];
    const prev = vs[vs.length - 2];
    const to = vs.find((v) => v.index === this.to) ?? last;
    const from = vs.find((v) => v.index === this.from) ?? prev;
    if (!to || !from) return null;
    const select = (cls: string, label: string, chosen: number, set: (i: number) => void) =>
      h("label", {}, [
        `${label} `,
        h(
          "select",
          { class: cls, "data-testid": cls },
          vs.map((v) => {
            const o = h("option", { value: v.index }, [`v${v.index} (${v.source})`]);
            o.selected = v.index === chosen;
            return o;
          }),
          {
            change: (ev) => {
              set(Number((ev.target as HTMLSelectElement).value));
              this.draw();
            },
          },
        ),
      ]);
    return h("div", { class: "sn-diff-picker" }, [
      h("div", { class: "sn-actions" }, [
        select("sn-diff-from", "Compare", from.index, (i) => {
          this.from = i;
        }),
        select("sn-diff-to", "with", to.index, (i) => {
          this.to = i;
        }),
      ]),
      renderDiff(diffJson(from.value, to.value)),
    ]);
  }

  private draw(): void {
    const entry = this.entry;
    if (!entry) return;
    this.el.dataset.variablePath = entry.path;
    const openEditor = (): void => {
      this.editor = new InlineEditor(
        entry.value,
        (value) => this.send(editVariable(entry.path, value)),
        () => {
          this.editor = null;
          this.draw();
          this.el.querySelector<HTMLButtonElement>(".sn-edit")?.focus();
        },
        `New value of ${entry.path}`,
      );
      this.draw();
      this.editor.focus();
    };
    const errorBox = h(
      "div",
      { class: "sn-revert-error", "data-testid": "sn-revert-error", role: "alert" },
      [this.error],
    );
    errorBox.hidden = !this.error;
    fill(this.el, [
      h("h4", {}, [h("code", {}, [entry.path])]),
      entry.description ? h("p", { class: "sn-muted" }, [entry.description]) : null,
      h("div", { class: "sn-current-value" }, [
        h("h5", {}, ["Current value"]),
        h("pre", { class: "sn-json" }, [pretty(entry.value)]),
      ]),
      this.editor
        ? this.editor.el
        : h("div", { class: "sn-actions" }, [button("Edit", "sn-edit", openEditor)]),
      errorBox,
      h("h5", {}, [`Versions (${entry.versions.length})`]),
      historyTable(
        entry.versions,
        (v) => {
          this.error = "";
          this.send(revert(v.variable_path, v.index));
        },
        false,
      ),
      this.diffPicker(entry),
    ]);
  }
}

const widget: AnyWidget<VariableHistoryTraits> = {
  render({ model, el }) {
    const send = (msg: unknown): void => model.send(msg);
    const sections = new Map<string, VariableSection>();
    const root = h("div", { class: "sn-widget sn-variable-history" });
    el.classList.add("sn-root");
    el.replaceChildren(root);

    const draw = (): void => {
      const vars = model.get("variables") ?? [];
      const seen = new Set<string>();
      root.replaceChildren(
        h("div", { class: "sn-title" }, ["Variable history"]),
        ...(vars.length
          ? vars.map((v) => {
              seen.add(v.path);
              let sec = sections.get(v.path);
              if (!sec) {
                sec = new VariableSection(send);
                sections.set(v.path, sec);
              }
              sec.update(v);
              return sec.el;
            })
          : [h("p", { class: "sn-muted" }, ["No trainable variables."])]),
      );
      for (const k of [...sections.keys()]) if (!seen.has(k)) sections.delete(k);
    };

    const onMessage = (raw: unknown): void => {
      const msg = receiveBackendMessage(raw);
      if (msg === null) return;
      if (msg.type === "ping") send(pong(msg.id));
      else if (msg.type === "edit_variable_error")
        sections.get(msg.variable_path)?.showEditError(msg.message);
      else if (msg.type === "revert_error")
        sections.get(msg.variable_path)?.showRevertError(msg.message);
    };
    const cleanup = listen(model, { "msg:custom": onMessage, "change:variables": draw });
    draw();
    send(hello());
    return cleanup;
  },
};

export default widget;
