// Charts drawn by uPlot (MIT, ~50 KB min): a sparkline per account row, the account's daily
// activity, revenue per visitor as bars, and pipeline with its won part stacked. Each chart
// also states its numbers in an aria-label, for screen readers (and for tests, which read the
// DOM rather than pixels).
import uPlot from "uplot";

const INK = "#4f46e5";
const FILL = "rgba(79, 70, 229, 0.6)";
const dayTs = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** 120×28 bars of daily events, no axes: the shape of the last weeks at a glance. */
export function sparkline(target: HTMLElement, days: readonly string[], values: readonly number[]): uPlot {
  target.setAttribute("aria-label", `Daily events: ${values.join(", ")}`);
  target.setAttribute("role", "img");
  return new uPlot(
    {
      width: 120,
      height: 28,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [{}, { stroke: INK, fill: FILL, width: 1, paths: uPlot.paths.bars!({ size: [0.8, 6] }), points: { show: false } }],
    },
    [days.map((_, i) => i), [...values]],
    target,
  );
}

/** Daily activity of one account: events as bars over the window's days. */
export function dailyChart(target: HTMLElement, days: readonly string[], values: readonly number[], width: number): uPlot {
  target.setAttribute("aria-label", `Events per day from ${days[0]} to ${days[days.length - 1]}: ${values.join(", ")}`);
  target.setAttribute("role", "img");
  return new uPlot(
    {
      width,
      height: 180,
      legend: { show: false },
      cursor: { points: { show: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{ stroke: "#6b7280", grid: { show: false } }, { stroke: "#6b7280", grid: { stroke: "#eef0f4" }, size: 40 }],
      series: [{}, { label: "Events", stroke: INK, fill: "rgba(79, 70, 229, 0.55)", paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } }],
    },
    [days.map(dayTs), [...values]],
    target,
  );
}

/** What every group bar chart shares: one slot per label on the x axis, a y axis from 0. */
function groupBars(labels: readonly string[], axisFormat: (n: number) => string, width: number, series: uPlot.Series[]): uPlot.Options {
  const short = (s: string) => (s.length > 16 ? `${s.slice(0, 15)}…` : s);
  return {
    width,
    height: 260,
    legend: { show: false },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { stroke: "#374151", grid: { show: false }, ticks: { show: false }, splits: () => labels.map((_, i) => i), values: (_u, splits) => splits.map((i) => short(labels[i] ?? "")) },
      { stroke: "#6b7280", grid: { stroke: "#eef0f4" }, size: 64, values: (_u, splits) => splits.map(axisFormat) },
    ],
    series: [{}, ...series],
  };
}

const bars = () => uPlot.paths.bars!({ size: [0.6, 64] });

/** Vertical bars, one per group; labels on the x axis. */
export function barChart(target: HTMLElement, labels: readonly string[], values: readonly number[], format: (n: number) => string, axisFormat: (n: number) => string, width: number): uPlot {
  target.setAttribute("aria-label", labels.map((l, i) => `${l}: ${format(values[i])}`).join("; "));
  target.setAttribute("role", "img");
  const series = [{ label: "Revenue per visitor", stroke: INK, fill: "rgba(79, 70, 229, 0.75)", paths: bars(), points: { show: false } }];
  return new uPlot(groupBars(labels, axisFormat, width, series), [labels.map((_, i) => i), [...values]], target);
}

const WON = "#047857";
export const WON_FILL = "rgba(4, 120, 87, 0.8)";
export const OPEN = "rgba(79, 70, 229, 0.35)";

/**
 * One bar per group: the whole pipeline, with its won part stacked at the bottom in another
 * colour. Won is part of the pipeline, so the pipeline bar is drawn first and the won bar over
 * its lower part, on the same slot.
 */
export function stackedBarChart(
  target: HTMLElement,
  labels: readonly string[],
  totals: readonly number[],
  parts: readonly number[],
  format: (n: number) => string,
  axisFormat: (n: number) => string,
  width: number,
): uPlot {
  target.setAttribute("aria-label", labels.map((l, i) => `${l}: ${format(totals[i])} pipeline, ${format(parts[i])} won`).join("; "));
  target.setAttribute("role", "img");
  const paths = bars();
  const series = [
    { label: "Pipeline", stroke: INK, fill: OPEN, paths, points: { show: false } },
    { label: "Won", stroke: WON, fill: WON_FILL, paths, points: { show: false } },
  ];
  return new uPlot(groupBars(labels, axisFormat, width, series), [labels.map((_, i) => i), [...totals], [...parts]], target);
}
