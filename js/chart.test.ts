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

  it("draws an empty frame without NaN before the first batch", () => {
    const g = chartGeometry({ train_reward: [], val_reward: [] }, 100, 50);
    expect(g.empty).toBe(true);
    expect(JSON.stringify(g)).not.toMatch(/NaN|Infinity/);
  });
});
