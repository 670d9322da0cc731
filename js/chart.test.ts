import { describe, expect, it } from "vitest";
import { chartGeometry } from "./chart";

describe("chartGeometry", () => {
  it("maps rewards into the plot area with y growing upwards", () => {
    const g = chartGeometry(
      {
        train_reward: [
          [0, 0],
          [10, 1],
        ],
        val_reward: [],
      },
      100,
      50,
    );
    expect(g.paths.train_reward).toBe("M0.0,50.0L100.0,0.0");
    expect(g.paths.val_reward).toBe("");
    expect(g.yTicks.map((t) => t.value)).toEqual([0, 0.5, 1]);
    expect(g.empty).toBe(false);
  });

  it("places validation points on the batch axis and keeps each point for a dot", () => {
    const g = chartGeometry(
      {
        train_reward: [
          [1, 0],
          [2, 0.5],
          [3, 1],
          [4, 1],
        ],
        val_reward: [[4, 0.5]],
      },
      90,
      50,
    );
    // One validation point draws no line; its dot sits above the epoch's last batch.
    expect(g.paths.val_reward).toBe("M90.0,25.0");
    expect(g.points.val_reward).toEqual([[90, 25]]);
    expect(g.points.train_reward).toHaveLength(4);
  });

  it("draws an empty frame without NaN before the first batch", () => {
    const g = chartGeometry({ train_reward: [], val_reward: [] }, 100, 50);
    expect(g.empty).toBe(true);
    expect(JSON.stringify(g)).not.toMatch(/NaN|Infinity/);
  });
});
