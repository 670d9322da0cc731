/**
 * dagre layout of a program graph (compound: nested programs are clusters).
 *
 * Only the ProgramGraph widget bundles this module (dagre is ~48 KB minified);
 * the dashboard's small graph uses `layeredLayout` from `./model`.
 */

import dagre from "@dagrejs/dagre";
import type { Graph } from "../protocol";
import {
  type Box,
  GROUP_LABEL,
  type GraphLayout,
  type LayoutFn,
  NODE_HEIGHT,
  nodeWidth,
  prepare,
} from "./model";

export const dagreLayout: LayoutFn = (graph: Graph): GraphLayout => {
  const prep = prepare(graph);
  const g = new dagre.graphlib.Graph({ compound: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 40, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    if (prep.groups.has(node.id)) g.setNode(node.id, { label: node.name });
    else g.setNode(node.id, { width: nodeWidth(node), height: NODE_HEIGHT });
  }
  for (const node of graph.nodes) {
    if (node.parent && prep.byId.has(node.parent)) g.setParent(node.id, node.parent);
  }
  for (const e of prep.edges) g.setEdge(e.source, e.target);
  dagre.layout(g);

  const nodes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    if (!n || !prep.byId.has(id)) continue;
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    const box = { x: (n.x ?? 0) - w / 2, y: (n.y ?? 0) - h / 2, width: w, height: h };
    if (prep.groups.has(id)) {
      // Leave room for the group's title above its first row.
      groups.set(id, { ...box, y: box.y - GROUP_LABEL, height: box.height + GROUP_LABEL });
    } else {
      nodes.set(id, box);
    }
  }
  const edges = prep.edges.map((e) => ({
    ...e,
    points: (g.edge(e.source, e.target)?.points ?? []).map((p: { x: number; y: number }) => ({
      x: p.x,
      y: p.y,
    })),
  }));
  let width = g.graph().width ?? 0;
  let height = g.graph().height ?? 0;
  let top = 0;
  for (const b of groups.values()) top = Math.min(top, b.y - 8);
  if (top < 0) {
    // Shift everything down so raised group titles stay inside the drawing.
    const shift = (b: Box): Box => ({ ...b, y: b.y - top });
    for (const [k, b] of nodes) nodes.set(k, shift(b));
    for (const [k, b] of groups) groups.set(k, shift(b));
    for (const e of edges) for (const p of e.points) p.y -= top;
    height -= top;
  }
  for (const b of [...nodes.values(), ...groups.values()]) {
    width = Math.max(width, b.x + b.width + 16);
    height = Math.max(height, b.y + b.height + 16);
  }
  return { width, height, nodes, groups, edges };
};
