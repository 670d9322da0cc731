/**
 * Graph preparation shared by both layouts, and the small layered layout.
 *
 * `program.graph()` lists every node, nested programs included (as nodes of
 * type "Program" whose inner nodes carry `parent`). A nested program with
 * children is drawn as a group box; edges that end on a group are re-attached
 * to its entry (or exit) node so that arrows always join two boxes.
 *
 * `layeredLayout` is the same algorithm as the Python static SVG
 * (`synalinks_nb/visualization/layout.py`): longest-path layering, barycentric
 * ordering, each group laid out as a block inside its parent. It is a few
 * hundred bytes, so the dashboard's small graph uses it instead of bundling
 * dagre a second time; the full ProgramGraph uses dagre.
 */

import type { Graph, GraphNode } from "../protocol";

export interface Box {
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  width: number;
  height: number;
}

export interface Pt {
  x: number;
  y: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  groups: Map<string, Box>;
  edges: { source: string; target: string; points: Pt[] }[];
}

export type LayoutFn = (graph: Graph) => GraphLayout;

export const NODE_HEIGHT = 48;
export const GROUP_PAD = 12;
export const GROUP_LABEL = 22;
export const GAP_X = 28;
export const GAP_Y = 40;

/** Node width from its text, so layout needs no DOM measuring (same formula in Python). */
export function nodeWidth(node: GraphNode): number {
  const chars = Math.max(node.name.length, node.type.length + (node.trainable ? 12 : 0));
  return Math.min(260, Math.max(110, Math.round(chars * 7.2 + 32)));
}

export interface Prepared {
  byId: Map<string, GraphNode>;
  /** Ids of nodes that have children (drawn as group boxes). */
  groups: Set<string>;
  /** Direct children of each container ("" is the top level), in graph order. */
  children: Map<string, string[]>;
  /** Edges between leaf nodes, after re-attaching edges that end on groups. */
  edges: { source: string; target: string }[];
}

/** Index the graph, find groups and resolve group endpoints to leaf nodes. */
export function prepare(graph: Graph): Prepared {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parentOf = (id: string): string => {
    const p = byId.get(id)?.parent;
    return p && byId.has(p) ? p : "";
  };
  const groups = new Set<string>();
  const children = new Map<string, string[]>([["", []]]);
  for (const n of graph.nodes) {
    const p = parentOf(n.id);
    if (p) groups.add(p);
    if (!children.has(p)) children.set(p, []);
    children.get(p)?.push(n.id);
  }
  const isUnder = (id: string, group: string): boolean => {
    for (let p = parentOf(id), guard = 0; p && guard < 64; p = parentOf(p), guard++) {
      if (p === group) return true;
    }
    return false;
  };
  const leaves = graph.nodes.filter((n) => !groups.has(n.id)).map((n) => n.id);
  const resolve = (id: string, end: "entry" | "exit"): string => {
    if (!groups.has(id)) return id;
    const inside = leaves.filter((l) => isUnder(l, id));
    const inner = graph.edges.filter((e) => isUnder(e.source, id) && isUnder(e.target, id));
    const pick =
      end === "entry"
        ? inside.find((l) => !inner.some((e) => e.target === l))
        : [...inside].reverse().find((l) => !inner.some((e) => e.source === l));
    return pick ?? inside[0] ?? id;
  };
  const seen = new Set<string>();
  const edges: { source: string; target: string }[] = [];
  for (const e of graph.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const source = resolve(e.source, "exit");
    const target = resolve(e.target, "entry");
    const key = `${source}\u0000${target}`;
    if (source === target || seen.has(key)) continue;
    seen.add(key);
    edges.push({ source, target });
  }
  return { byId, groups, children, edges };
}

interface Block {
  width: number;
  height: number;
  /** Positions of every leaf and group inside the block, relative to its top-left. */
  nodes: Map<string, Box>;
  groups: Map<string, Box>;
}

/** Longest-path layers of a DAG given as successor lists (back edges of cycles ignored). */
export function longestPathLayers(
  ids: readonly string[],
  succ: Map<string, string[]>,
): Map<string, number> {
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  const kept = new Map<string, string[]>(ids.map((id) => [id, []]));
  const visit = (id: string): void => {
    state.set(id, 1);
    for (const t of succ.get(id) ?? []) {
      if (state.get(t) === 1) continue; // back edge: breaks a cycle
      kept.get(id)?.push(t);
      if (!state.has(t)) visit(t);
    }
    state.set(id, 2);
    order.push(id);
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of order.reverse()) {
    for (const t of kept.get(id) ?? []) {
      layer.set(t, Math.max(layer.get(t) ?? 0, (layer.get(id) ?? 0) + 1));
    }
  }
  return layer;
}

function layoutBlock(container: string, prep: Prepared): Block {
  const members = prep.children.get(container) ?? [];
  const size = new Map<string, { width: number; height: number }>();
  const inner = new Map<string, Block>();
  for (const id of members) {
    if (prep.groups.has(id)) {
      const b = layoutBlock(id, prep);
      inner.set(id, b);
      size.set(id, {
        width: b.width + 2 * GROUP_PAD,
        height: b.height + 2 * GROUP_PAD + GROUP_LABEL,
      });
    } else {
      const node = prep.byId.get(id);
      size.set(id, { width: node ? nodeWidth(node) : 110, height: NODE_HEIGHT });
    }
  }
  // Lift leaf edges to the members of this container.
  const memberSet = new Set(members);
  const lift = (id: string): string | undefined => {
    let cur: string | undefined = id;
    for (let guard = 0; cur !== undefined && guard < 64; guard++) {
      if (memberSet.has(cur)) return cur;
      const p: string | null | undefined = prep.byId.get(cur)?.parent;
      cur = p ?? undefined;
    }
    return undefined;
  };
  const succ = new Map<string, string[]>(members.map((m) => [m, []]));
  const pred = new Map<string, string[]>(members.map((m) => [m, []]));
  for (const e of prep.edges) {
    const u = lift(e.source);
    const v = lift(e.target);
    if (u === undefined || v === undefined || u === v || succ.get(u)?.includes(v)) continue;
    succ.get(u)?.push(v);
    pred.get(v)?.push(u);
  }
  const layerOf = longestPathLayers(members, succ);
  const layers: string[][] = [];
  for (const id of members) {
    const l = layerOf.get(id) ?? 0;
    while (layers.length <= l) layers.push([]);
    layers[l]?.push(id);
  }
  orderLayers(layers, succ, pred);
  return placeBlock(layers, size, inner);
}

/** Barycentric ordering: a few down and up sweeps, stable on ties. */
function orderLayers(
  layers: string[][],
  succ: Map<string, string[]>,
  pred: Map<string, string[]>,
): void {
  const pos = new Map<string, number>();
  const index = (): void => {
    for (const layer of layers)
      layer.forEach((id, i) => {
        pos.set(id, i);
      });
  };
  index();
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const seq = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of seq) {
      const bary = new Map<string, number>();
      for (const id of layer) {
        const nbrs = (down ? pred.get(id) : succ.get(id)) ?? [];
        const cur = pos.get(id) ?? 0;
        bary.set(
          id,
          nbrs.length ? nbrs.reduce((acc, n) => acc + (pos.get(n) ?? 0), 0) / nbrs.length : cur,
        );
      }
      layer.sort(
        (a, b) => (bary.get(a) ?? 0) - (bary.get(b) ?? 0) || (pos.get(a) ?? 0) - (pos.get(b) ?? 0),
      );
      layer.forEach((id, i) => {
        pos.set(id, i);
      });
    }
  }
}

function placeBlock(
  layers: string[][],
  size: Map<string, { width: number; height: number }>,
  inner: Map<string, Block>,
): Block {
  const dims = (id: string) => size.get(id) ?? { width: 110, height: NODE_HEIGHT };
  const rowWidth = (layer: string[]): number =>
    layer.reduce((acc, id) => acc + dims(id).width, 0) + GAP_X * Math.max(0, layer.length - 1);
  const width = Math.max(0, ...layers.map(rowWidth));
  const nodes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  let y = 0;
  for (const layer of layers) {
    const rowH = Math.max(0, ...layer.map((id) => dims(id).height));
    let x = (width - rowWidth(layer)) / 2;
    for (const id of layer) {
      const d = dims(id);
      const top = y + (rowH - d.height) / 2;
      const block = inner.get(id);
      if (block) {
        groups.set(id, { x, y: top, width: d.width, height: d.height });
        const ox = x + GROUP_PAD;
        const oy = top + GROUP_PAD + GROUP_LABEL;
        for (const [k, b] of block.nodes) nodes.set(k, { ...b, x: b.x + ox, y: b.y + oy });
        for (const [k, b] of block.groups) groups.set(k, { ...b, x: b.x + ox, y: b.y + oy });
      } else {
        nodes.set(id, { x, y: top, width: d.width, height: d.height });
      }
      x += d.width + GAP_X;
    }
    y += rowH + GAP_Y;
  }
  return { width, height: Math.max(0, y - GAP_Y), nodes, groups };
}

/** Deterministic layered layout (see module docs). */
export const layeredLayout: LayoutFn = (graph) => {
  const prep = prepare(graph);
  const block = layoutBlock("", prep);
  const margin = 16;
  const shift = (b: Box): Box => ({ ...b, x: b.x + margin, y: b.y + margin });
  const nodes = new Map([...block.nodes].map(([k, b]) => [k, shift(b)] as [string, Box]));
  const groups = new Map([...block.groups].map(([k, b]) => [k, shift(b)] as [string, Box]));
  const edges = prep.edges.flatMap((e) => {
    const a = nodes.get(e.source);
    const b = nodes.get(e.target);
    if (!a || !b) return [];
    return [
      {
        ...e,
        points: [
          { x: a.x + a.width / 2, y: a.y + a.height },
          { x: b.x + b.width / 2, y: b.y },
        ],
      },
    ];
  });
  return {
    width: block.width + 2 * margin,
    height: block.height + 2 * margin,
    nodes,
    groups,
    edges,
  };
};
