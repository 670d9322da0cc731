/**
 * ProgramGraph widget view: `program.graph()` laid out by dagre, drawn by our
 * SVG renderer. Mirrors `synalinks_nb/notebook/program_graph.py`; the
 * `selected` trait follows the node whose side panel is open.
 */

import type { AnyWidget } from "@anywidget/types";
import { dagreLayout } from "./graph/dagre_layout";
import { GraphView } from "./graph/view";
import type { ProgramGraphTraits } from "./protocol";
import { h } from "./ui/dom";
import { asGraph, listen } from "./widget_base";

const widget: AnyWidget<ProgramGraphTraits> = {
  render({ model, el }) {
    const view = new GraphView({
      layout: dagreLayout,
      sidePanel: true,
      height: 420,
      onSelect: (id) => {
        model.set("selected", id);
        model.save_changes();
      },
    });
    const graph = asGraph(model.get("graph"));
    const title = h("div", { class: "sn-title" }, [graph?.name ?? "Program"]);
    el.classList.add("sn-root");
    el.replaceChildren(h("div", { class: "sn-widget sn-program-graph" }, [title, view.el]));
    view.setGraph(graph);
    view.select(model.get("selected"));
    // The SVG has no size until attached; fit again once it does.
    requestAnimationFrame(() => view.fit());
    const onGraph = (): void => {
      const g = asGraph(model.get("graph"));
      title.textContent = g?.name ?? "Program";
      view.setGraph(g);
    };
    const onSelected = (): void => view.select(model.get("selected"));
    return listen(model, { "change:graph": onGraph, "change:selected": onSelected });
  },
};

export default widget;
