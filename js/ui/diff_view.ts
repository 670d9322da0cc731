/** DOM rendering of a `FieldDiff[]` (see `../diff.ts`). */

import type { FieldDiff } from "../diff";
import { brief, h, pretty } from "./dom";

function field(d: FieldDiff): HTMLElement {
  const key = d.key ? h("div", { class: "sn-diff-key" }, [d.key]) : null;
  switch (d.kind) {
    case "same":
      return h("div", { class: "sn-diff-field sn-diff-same" }, [
        key,
        h("span", { class: "sn-muted" }, ["unchanged"]),
      ]);
    case "text":
      return h("div", { class: "sn-diff-field" }, [
        key,
        h(
          "pre",
          { class: "sn-diff-text" },
          d.ops.map((op) =>
            op.op === "equal"
              ? op.text
              : h(
                  op.op === "insert" ? "ins" : "del",
                  { class: op.op === "insert" ? "sn-ins" : "sn-del" },
                  [op.text],
                ),
          ),
        ),
      ]);
    case "list":
      return h("div", { class: "sn-diff-field" }, [
        key,
        h("div", { class: "sn-muted" }, [
          `${d.added.length} added, ${d.removed.length} removed, ${d.kept} unchanged`,
        ]),
        // List items (few-shot examples) one per line when short: a proposal stays readable.
        ...d.added.map((v) => h("pre", { class: "sn-diff-added" }, [`+ ${brief(v)}`])),
        ...d.removed.map((v) => h("pre", { class: "sn-diff-removed" }, [`− ${brief(v)}`])),
      ]);
    default:
      return h("div", { class: "sn-diff-field" }, [
        key,
        h("pre", { class: "sn-diff-removed" }, [
          `− ${d.before === undefined ? "(absent)" : pretty(d.before)}`,
        ]),
        h("pre", { class: "sn-diff-added" }, [
          `+ ${d.after === undefined ? "(absent)" : pretty(d.after)}`,
        ]),
      ]);
  }
}

export function renderDiff(diff: readonly FieldDiff[]): HTMLElement {
  return h("div", { class: "sn-diff", "data-testid": "sn-diff" }, diff.map(field));
}
