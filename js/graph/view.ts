/**
 * Our SVG renderer of a laid-out program graph, with pan (drag), zoom (wheel
 * and buttons), fit-to-view, keyboard-focusable nodes and a side panel.
 *
 * The layout function is injected (dagre for ProgramGraph, the small layered
 * layout for the dashboard), so both widgets share this renderer.
 */

import type { Graph, GraphNode } from "../protocol";
import { button, fill, h, pretty, s } from "../ui/dom";
import type { GraphLayout, LayoutFn } from "./model";

export interface GraphViewOptions {
  layout: LayoutFn;
  /** Called when the user selects (click / Enter / Space) a node, or closes the panel (null). */
  onSelect?: (id: string | null) => void;
  /** Show the node details panel on selection (the full graph widget does). */
  sidePanel?: boolean;
  /** Height of the drawing area in pixels. */
  height?: number;
}

const MIN_ZOOM = 0.2;
const MAX_ZOOM = 4;

export class GraphView {
  readonly el: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly panel: HTMLElement;
  private graph: Graph | null = null;
  private layout: GraphLayout | null = null;
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private selected: string | null = null;
  private highlighted: string | null = null;
  /** Set once the user pans or zooms; until then the drawing refits when resized. */
  private userMoved = false;

  constructor(private readonly opts: GraphViewOptions) {
    this.viewport = s("g", { class: "sn-viewport" });
    this.svg = s("svg", { class: "sn-graph-svg", role: "group", "aria-label": "Program graph" }, [
      s("defs", {}, [
        s(
          "marker",
          {
            id: "sn-arrow",
            viewBox: "0 0 10 10",
            refX: 9,
            refY: 5,
            markerWidth: 7,
            markerHeight: 7,
            orient: "auto",
          },
          [s("path", { d: "M0,0 L10,5 L0,10 z", class: "sn-arrow" })],
        ),
      ]),
      this.viewport,
    ]);
    this.svg.style.height = `${opts.height ?? 360}px`;
    const toolbar = h("div", { class: "sn-graph-toolbar" }, [
      button("+", "sn-zoom-in", () => this.zoomBy(1.25), {
        "aria-label": "Zoom in",
        title: "Zoom in",
      }),
      button("−", "sn-zoom-out", () => this.zoomBy(0.8), {
        "aria-label": "Zoom out",
        title: "Zoom out",
      }),
      button(
        "Fit",
        "sn-fit",
        () => {
          this.userMoved = false;
          this.fit();
        },
        { title: "Fit to view" },
      ),
    ]);
    this.panel = h("aside", {
      class: "sn-side-panel",
      "data-testid": "sn-side-panel",
      hidden: true,
    });
    this.el = h("div", { class: "sn-graph", "data-testid": "sn-graph" }, [
      h("div", { class: "sn-graph-canvas" }, [this.svg, toolbar]),
      this.panel,
    ]);
    this.installPanZoom();
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(() => {
        if (!this.userMoved) this.fit();
      }).observe(this.svg);
    }
  }

  /** Replace the graph (re-layout and re-draw). */
  setGraph(graph: Graph | null): void {
    this.graph = graph && Array.isArray(graph.nodes) ? graph : null;
    this.layout = this.graph ? this.opts.layout(this.graph) : null;
    this.draw();
    this.fit();
    if (this.selected && !this.graph?.nodes.some((n) => n.id === this.selected)) this.select(null);
    else if (this.selected) this.renderPanel();
  }

  /** Emphasise one node (e.g. the module whose variable is under review). */
  highlight(id: string | null): void {
    this.highlighted = id;
    for (const el of this.viewport.querySelectorAll<SVGGElement>(".sn-node")) {
      el.classList.toggle("sn-node--highlight", el.dataset.nodeId === id);
    }
  }

  /** Select a node (opens the side panel when enabled); null closes it. */
  select(id: string | null, notify = false): void {
    this.selected = id;
    for (const el of this.viewport.querySelectorAll<SVGGElement>(".sn-node")) {
      const on = el.dataset.nodeId === id;
      el.classList.toggle("sn-node--selected", on);
      el.setAttribute("aria-pressed", String(on));
    }
    this.renderPanel();
    if (notify) this.opts.onSelect?.(id);
  }

  /** Scale and centre the drawing in the visible area. */
  fit(): void {
    if (!this.layout) return;
    const w = this.svg.clientWidth || 600;
    const hgt = this.svg.clientHeight || this.opts.height || 360;
    const k = Math.min(
      w / Math.max(1, this.layout.width),
      hgt / Math.max(1, this.layout.height),
      1.5,
    );
    this.scale = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, k * 0.95));
    this.tx = (w - this.layout.width * this.scale) / 2;
    this.ty = (hgt - this.layout.height * this.scale) / 2;
    this.apply();
  }

  private zoomBy(factor: number, cx?: number, cy?: number): void {
    this.userMoved = true;
    const w = this.svg.clientWidth || 600;
    const hgt = this.svg.clientHeight || 360;
    const px = cx ?? w / 2;
    const py = cy ?? hgt / 2;
    const next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.scale * factor));
    // Keep the point under the cursor still.
    this.tx = px - ((px - this.tx) * next) / this.scale;
    this.ty = py - ((py - this.ty) * next) / this.scale;
    this.scale = next;
    this.apply();
  }

  private apply(): void {
    this.viewport.setAttribute(
      "transform",
      `translate(${this.tx},${this.ty}) scale(${this.scale})`,
    );
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; tx: number; ty: number } | null = null;
    this.svg.addEventListener("pointerdown", (ev) => {
      if ((ev.target as Element).closest(".sn-node")) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.tx, ty: this.ty };
      this.svg.setPointerCapture?.(ev.pointerId);
      this.svg.classList.add("sn-dragging");
    });
    this.svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      this.userMoved = true;
      this.tx = drag.tx + ev.clientX - drag.x;
      this.ty = drag.ty + ev.clientY - drag.y;
      this.apply();
    });
    const end = (): void => {
      drag = null;
      this.svg.classList.remove("sn-dragging");
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
    this.svg.addEventListener(
      "wheel",
      (ev) => {
        ev.preventDefault();
        const r = this.svg.getBoundingClientRect();
        this.zoomBy(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
      },
      { passive: false },
    );
  }

  private draw(): void {
    this.viewport.replaceChildren();
    const { graph, layout } = this;
    if (!graph || !layout) {
      this.viewport.append(s("text", { x: 16, y: 24, class: "sn-empty" }, ["No graph to show."]));
      return;
    }
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    for (const [id, b] of layout.groups) {
      const n = byId.get(id);
      this.viewport.append(
        s("g", { class: "sn-group", "data-node-id": id }, [
          s("rect", { x: b.x, y: b.y, width: b.width, height: b.height, rx: 8 }),
          s("text", { x: b.x + 10, y: b.y + 16, class: "sn-group-label" }, [
            n ? `${n.name} · Program` : id,
          ]),
        ]),
      );
    }
    for (const e of layout.edges) {
      if (e.points.length < 2) continue;
      const d = e.points
        .map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
        .join(" ");
      this.viewport.append(
        s("path", {
          d,
          class: "sn-edge",
          "marker-end": "url(#sn-arrow)",
          "data-source": e.source,
          "data-target": e.target,
        }),
      );
    }
    for (const [id, b] of layout.nodes) {
      const n = byId.get(id);
      if (n) this.viewport.append(this.drawNode(n, b));
    }
    this.highlight(this.highlighted);
    this.select(this.selected);
  }

  private drawNode(
    n: GraphNode,
    b: { x: number; y: number; width: number; height: number },
  ): SVGGElement {
    const g = s(
      "g",
      {
        class: `sn-node${n.trainable ? " sn-node--trainable" : ""}`,
        "data-testid": "sn-node",
        "data-node-id": n.id,
        tabindex: 0,
        role: "button",
        "aria-pressed": "false",
        "aria-label": `${n.name} (${n.type})${n.trainable ? ", trainable" : ""}`,
        transform: `translate(${b.x},${b.y})`,
      },
      [
        s("title", {}, [n.description || `${n.name} (${n.type})`]),
        s("rect", { width: b.width, height: b.height, rx: 6 }),
        s("text", { x: 10, y: 20, class: "sn-node-name" }, [n.name]),
        s("text", { x: 10, y: 37, class: "sn-node-type" }, [n.type]),
        n.trainable &&
          s("g", { class: "sn-badge-trainable", "data-testid": "sn-badge-trainable" }, [
            s("rect", { x: b.width - 72, y: 27, width: 64, height: 15, rx: 7 }),
            s("text", { x: b.width - 40, y: 38, "text-anchor": "middle" }, ["trainable"]),
          ]),
      ],
    );
    const choose = (): void => this.select(this.selected === n.id ? null : n.id, true);
    g.addEventListener("click", choose);
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        choose();
      }
    });
    return g;
  }

  private renderPanel(): void {
    const node = this.graph?.nodes.find((n) => n.id === this.selected);
    if (!this.opts.sidePanel || !node || !this.graph) {
      this.panel.hidden = true;
      this.panel.replaceChildren();
      return;
    }
    const vars = this.graph.variables ?? {};
    this.panel.hidden = false;
    // Variables (instructions, examples) first: what training changes; schemas after.
    fill(this.panel, [
      h("div", { class: "sn-side-head" }, [
        h("h4", {}, [node.name]),
        button("Close", "sn-side-close", () => this.select(null, true)),
      ]),
      h("p", { class: "sn-muted" }, [node.type, node.trainable ? " · trainable" : ""]),
      node.description ? h("p", {}, [node.description]) : null,
      h("h5", {}, [`Variables (${node.variables.length})`]),
      ...node.variables.map((path) => {
        const v = vars[path];
        return h("div", { class: "sn-var", "data-variable-path": path }, [
          h("div", { class: "sn-var-head" }, [
            h("code", {}, [path]),
            h("span", { class: "sn-muted" }, [
              v ? ` · ${v.versions} version${v.versions === 1 ? "" : "s"}` : "",
            ]),
          ]),
          v?.description ? h("p", { class: "sn-muted" }, [v.description]) : null,
          h("pre", { class: "sn-json" }, [v ? pretty(v.value) : "(unknown)"]),
        ]);
      }),
      h("h5", {}, ["Input schema"]),
      h("pre", { class: "sn-json sn-input-schema" }, [pretty(node.input_schema)]),
      h("h5", {}, ["Output schema"]),
      h("pre", { class: "sn-json sn-output-schema" }, [pretty(node.output_schema)]),
    ]);
  }
}
