// The live price chart: one line per model, x = block height. uPlot draws
// thousands of points cheaply and has no dependencies.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Series } from "./series";

export const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

export class PriceChart {
  private plot: uPlot;
  private resize: ResizeObserver;

  constructor(
    parent: HTMLElement,
    private series: Series,
    labels: string[],
  ) {
    const width = Math.max(280, parent.clientWidth || 640);
    this.plot = new uPlot(
      {
        width,
        height: 260,
        scales: { x: { time: false }, y: { range: [0, 1] } },
        axes: [
          { label: "block" },
          { values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`), size: 50 },
        ],
        series: [
          { label: "block" },
          ...labels.map((label, i) => ({
            label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            paths: uPlot.paths.stepped!({ align: 1 }),
            value: (_u: uPlot, v: number | null) => (v == null ? "–" : `${(v * 100).toFixed(1)}%`),
          })),
        ],
        legend: { live: true },
      },
      this.data(),
      parent,
    );
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: Math.max(280, parent.clientWidth), height: 260 }));
    this.resize.observe(parent);
  }

  private data(): uPlot.AlignedData {
    return [this.series.heights, ...this.series.prices];
  }

  /** Redraws after the series changed. */
  update(series: Series = this.series) {
    this.series = series;
    this.plot.setData(this.data());
  }

  destroy() {
    this.resize.disconnect();
    this.plot.destroy();
  }
}
