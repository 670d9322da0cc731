/** The version history table with a Revert button per row (dashboard and VariableHistory). */

import type { Version } from "../protocol";
import { button, fmtReward, h, pretty } from "./dom";

export const fmtTime = (t: Version["timestamp"]): string => {
  if (t === null) return "";
  const d = typeof t === "number" ? new Date(t * 1000) : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleTimeString();
};

/** Rows in the given order; the last version of each variable is marked current. */
export function historyTable(
  versions: readonly Version[],
  onRevert: (v: Version) => void,
  showPath = true,
): HTMLElement {
  const latest = new Map<string, number>();
  for (const v of versions)
    latest.set(v.variable_path, Math.max(latest.get(v.variable_path) ?? -1, v.index));
  if (versions.length === 0) {
    return h("p", { class: "sn-muted sn-history-empty" }, ["No versions recorded yet."]);
  }
  const head = [
    "#",
    showPath ? "Variable" : null,
    "Source",
    "Decided by",
    "Epoch / batch",
    "Reward",
    "Time",
    "",
    "Value",
  ];
  return h("table", { class: "sn-table sn-history", "data-testid": "sn-history" }, [
    h("thead", {}, [
      h(
        "tr",
        {},
        head.filter((c) => c !== null).map((c) => h("th", { scope: "col" }, [c])),
      ),
    ]),
    h(
      "tbody",
      {},
      versions.map((v) => {
        const current = latest.get(v.variable_path) === v.index;
        const preview = pretty(v.value);
        return h(
          "tr",
          {
            class: current ? "sn-current" : "",
            "data-variable-path": v.variable_path,
            "data-index": v.index,
          },
          [
            h("td", {}, [String(v.index)]),
            showPath ? h("td", {}, [h("code", {}, [v.variable_path])]) : null,
            h("td", {}, [v.source]),
            h("td", {}, [v.decided_by ?? ""]),
            h("td", {}, [
              v.epoch === null ? "" : `${v.epoch}${v.batch === null ? "" : ` / ${v.batch}`}`,
            ]),
            h("td", {}, [
              v.reward_after === null
                ? ""
                : `${fmtReward(v.reward_before)} → ${fmtReward(v.reward_after)}`,
            ]),
            h("td", {}, [fmtTime(v.timestamp)]),
            // Before the value (which is cut to fit): the button stays in sight.
            h("td", {}, [
              current
                ? h("span", { class: "sn-muted" }, ["current"])
                : button("Revert", "sn-revert", () => onRevert(v), {
                    "aria-label": `Revert ${v.variable_path} to version ${v.index}`,
                  }),
            ]),
            h("td", { class: "sn-value-preview", title: preview }, [
              preview.length > 80 ? `${preview.slice(0, 80)}…` : preview,
            ]),
          ],
        );
      }),
    ),
  ]);
}
