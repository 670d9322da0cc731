/**
 * A small SVG line chart of rewards (training per batch, validation per epoch).
 *
 * `chartGeometry` is pure (scales, paths, ticks) and unit-tested; `LineChart`
 * only writes it into an `<svg>`.
 */

import type { SeriesData, SeriesName } from "./protocol";
import { h, s } from "./ui/dom";

export interface ChartGeometry {
  paths: Record<SeriesName, string>;
  /** Each point scaled into the plot area. */
  points: Record<SeriesName, [number, number][]>;
  xTicks: { value: number; pos: number }[];
  yTicks: { value: number; pos: number }[];
  empty: boolean;
}

const niceStep = (span: number, count: number): number => {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
};

/** Scale the series into a `width` x `height` plot area (origin top-left). */
export function chartGeometry(series: SeriesData, width: number, height: number): ChartGeometry {
  const all = [...series.train_reward, ...series.val_reward];
  const empty = all.length === 0;
  let x0 = Math.min(...all.map((p) => p[0]));
  let x1 = Math.max(...all.map((p) => p[0]));
  let y0 = Math.min(0, ...all.map((p) => p[1]));
  let y1 = Math.max(1, ...all.map((p) => p[1]));
  if (empty) {
    x0 = 0;
    x1 = 1;
    y0 = 0;
    y1 = 1;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const sx = (x: number): number => ((x - x0) / (x1 - x0)) * width;
  const sy = (y: number): number => height - ((y - y0) / (y1 - y0)) * height;
  const scaled = (pts: [number, number][]): [number, number][] =>
    pts.map(([x, y]) => [Number(sx(x).toFixed(1)), Number(sy(y).toFixed(1))]);
  const path = (pts: [number, number][]): string =>
    scaled(pts)
      .map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`)
      .join("");
  const ticks = (lo: number, hi: number, n: number, scale: (v: number) => number) => {
    const step = niceStep(hi - lo, n);
    const out: { value: number; pos: number }[] = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.push({ value: Number(v.toPrecision(10)), pos: scale(v) });
    }
    return out;
  };
  return {
    paths: { train_reward: path(series.train_reward), val_reward: path(series.val_reward) },
    points: { train_reward: scaled(series.train_reward), val_reward: scaled(series.val_reward) },
    xTicks: ticks(x0, x1, 5, sx),
    yTicks: ticks(y0, y1, 4, sy),
    empty,
  };
}

/** Series with at most this many points also get a dot per point. */
const MAX_DOTS = 40;

const LABELS: Record<SeriesName, string> = {
  train_reward: "training reward (per batch)",
  val_reward: "validation reward (per epoch)",
};

export class LineChart {
  readonly el: HTMLElement;
  private readonly svg: SVGSVGElement;

  constructor(
    private readonly width = 420,
    private readonly height = 180,
  ) {
    this.svg = s("svg", {
      viewBox: `0 0 ${width} ${height}`,
      class: "sn-chart-svg",
      role: "img",
      "aria-label": "Reward per batch and per epoch",
    });
    this.el = h("figure", { class: "sn-chart", "data-testid": "sn-chart" }, [
      this.svg,
      h("figcaption", { class: "sn-legend" }, [
        ...(Object.keys(LABELS) as SeriesName[]).map((k) =>
          h("span", { class: `sn-legend-item sn-series-${k}` }, [h("i", {}), LABELS[k]]),
        ),
      ]),
    ]);
  }

  update(series: SeriesData): void {
    const m = { l: 36, r: 10, t: 8, b: 22 };
    const w = this.width - m.l - m.r;
    const hh = this.height - m.t - m.b;
    const g = chartGeometry(series, w, hh);
    const plot = s("g", { transform: `translate(${m.l},${m.t})` }, [
      ...g.yTicks.flatMap((t) => [
        s("line", { x1: 0, x2: w, y1: t.pos, y2: t.pos, class: "sn-grid" }),
        s("text", { x: -6, y: t.pos + 4, "text-anchor": "end", class: "sn-tick" }, [
          String(t.value),
        ]),
      ]),
      ...g.xTicks.map((t) =>
        s("text", { x: t.pos, y: hh + 16, "text-anchor": "middle", class: "sn-tick" }, [
          String(t.value),
        ]),
      ),
      s("path", { d: g.paths.train_reward, class: "sn-line sn-series-train_reward" }),
      s("path", { d: g.paths.val_reward, class: "sn-line sn-series-val_reward" }),
      // Dots where points are few: one validation point per epoch is no line at all.
      ...(Object.keys(g.points) as SeriesName[]).flatMap((k) =>
        g.points[k].length <= MAX_DOTS
          ? g.points[k].map(([x, y]) =>
              s("circle", { cx: x, cy: y, r: 2.5, class: `sn-dot sn-series-${k}` }),
            )
          : [],
      ),
      g.empty &&
        s("text", { x: w / 2, y: hh / 2, "text-anchor": "middle", class: "sn-chart-empty" }, [
          "No rewards yet",
        ]),
    ]);
    this.svg.replaceChildren(plot);
    // How many points are drawn: what a screen reader or a browser test can read.
    this.el.dataset.trainPoints = String(series.train_reward.length);
    this.el.dataset.valPoints = String(series.val_reward.length);
  }
}
