import { describe, expect, it } from "vitest";
import type { Graph, GraphNode } from "../protocol";
import { type Box, layeredLayout, longestPathLayers, prepare } from "./model";

const node = (id: string, parent: string | null = null, type = "Generator"): GraphNode => ({
  id,
  name: id,
  type,
  trainable: type === "Generator",
  variables: [],
  input_schema: {},
  output_schema: {},
  parent,
  description: "",
});

// input -> inner (a nested program with two steps) -> answer, plus a skip edge.
const graph: Graph = {
  name: "qa",
  nodes: [
    node("input", null, "Input"),
    node("inner", null, "Program"),
    node("inner/a", "inner"),
    node("inner/b", "inner"),
    node("answer"),
  ],
  edges: [
    { source: "input", target: "inner" },
    { source: "inner/a", target: "inner/b" },
    { source: "inner", target: "answer" },
    { source: "input", target: "answer" },
  ],
  variables: {},
};

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("prepare", () => {
  it("re-attaches edges that end on a nested program to its entry and exit nodes", () => {
    const p = prepare(graph);
    expect([...p.groups]).toEqual(["inner"]);
    expect(p.edges).toContainEqual({ source: "input", target: "inner/a" });
    expect(p.edges).toContainEqual({ source: "inner/b", target: "answer" });
  });
});

describe("layeredLayout", () => {
  const layout = layeredLayout(graph);

  it("draws every edge downwards", () => {
    for (const e of layout.edges) {
      const a = layout.nodes.get(e.source);
      const b = layout.nodes.get(e.target);
      expect(a && b && a.y + a.height <= b.y).toBe(true);
    }
  });

  it("puts nested nodes inside their group box and nothing else in it", () => {
    const box = layout.groups.get("inner");
    expect(box).toBeDefined();
    for (const [id, b] of layout.nodes) {
      const inside = b.x >= (box?.x ?? 0) && b.x + b.width <= (box?.x ?? 0) + (box?.width ?? 0);
      const within =
        inside && b.y >= (box?.y ?? 0) && b.y + b.height <= (box?.y ?? 0) + (box?.height ?? 0);
      if (id.startsWith("inner/")) expect(within).toBe(true);
      else expect(box && overlap(b, box)).toBe(false);
    }
  });

  it("never overlaps two nodes and is deterministic", () => {
    const boxes = [...layout.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(overlap(boxes[i] as Box, boxes[j] as Box)).toBe(false);
      }
    }
    const again = layeredLayout(graph);
    expect([...again.nodes]).toEqual([...layout.nodes]);
  });

  it("survives cycles", () => {
    const layers = longestPathLayers(
      ["a", "b", "c"],
      new Map([
        ["a", ["b"]],
        ["b", ["c"]],
        ["c", ["a"]],
      ]),
    );
    expect([...layers.values()]).toEqual([0, 1, 2]);
  });
});

describe("dagreLayout", () => {
  it("keeps nested nodes inside their group and edges downward", async () => {
    const { dagreLayout } = await import("./dagre_layout");
    const layout = dagreLayout(graph);
    const box = layout.groups.get("inner");
    for (const id of ["inner/a", "inner/b"]) {
      const b = layout.nodes.get(id);
      expect(b && box && b.x >= box.x && b.y >= box.y && b.y + b.height <= box.y + box.height).toBe(
        true,
      );
    }
    const a = layout.nodes.get("input");
    const z = layout.nodes.get("answer");
    expect(a && z && a.y < z.y).toBe(true);
    expect(layout.width).toBeGreaterThan(0);
  });
});
