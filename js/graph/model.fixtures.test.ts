/**
 * `layeredLayout` against the fixture file the Python twin is checked on too
 * (`tests/fixtures/graph_layouts.json`, `tests/visualization/test_layout_fixtures.py`):
 * the static SVG and the dashboard's graph place every box at the same spot.
 */
import { describe, expect, it } from "vitest";
import fixtures from "../../tests/fixtures/graph_layouts.json";
import type { Graph } from "../protocol";
import { type Box, layeredLayout } from "./model";

type BoxJson = [number, number, number, number];
interface LayoutJson {
  width: number;
  height: number;
  nodes: Record<string, BoxJson>;
  groups: Record<string, BoxJson>;
  edges: [string, string, [number, number][]][];
}
interface Fixture {
  name: string;
  graph: Graph;
  layout: LayoutJson;
}

const asJson = (boxes: Map<string, Box>): Record<string, BoxJson> =>
  Object.fromEntries(
    [...boxes]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, b]) => [k, [b.x, b.y, b.width, b.height]]),
  );

describe("layeredLayout matches the shared fixtures", () => {
  const cases = fixtures as unknown as Fixture[];

  it("has every case", () => {
    expect(cases.map((f) => f.name)).toContain("program_inside_a_program");
  });

  for (const fixture of cases) {
    it(fixture.name, () => {
      const lay = layeredLayout(fixture.graph);
      expect({
        width: lay.width,
        height: lay.height,
        nodes: asJson(lay.nodes),
        groups: asJson(lay.groups),
        edges: lay.edges.map((e) => [e.source, e.target, e.points.map((p) => [p.x, p.y])]),
      }).toEqual(fixture.layout);
    });
  }
});
