// Revenue per visitor by channel (or any `by` dimension) under a chosen attribution model.
import { groupRows, type RevenueReport, type RevenueRow } from "../../../cli/client/client";
import { GROUP_BYS, MODELS } from "../../../cli/client/enums";
import { barChart } from "../charts";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, label, money, moneyShort, when } from "../format";
import { MODEL_NAMES, REPORT_WINDOWS as WINDOWS, windowQuery } from "../windows";

export function revenueView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", {});

  async function load() {
    replace(body, loading("revenue"));
    try {
      const report = await ctx.client.revenue({ by: prefs.revenueBy, model: prefs.revenueModel, ...windowQuery(prefs.revenueWindow) });
      if (ctx.isCurrent()) replace(body, ...reportParts(report, label(prefs.revenueBy), prefs.revenueModel));
    } catch (err) {
      ctx.fail(err, body);
    }
  }
  void load();

  return h(
    "section",
    { class: "view", "aria-labelledby": "revenue-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "revenue-title" }, "Revenue per visitor"), h("p", { class: "muted" }, "Won revenue credited to each group's touchpoints ÷ its unique visitors")),
      h(
        "div",
        { class: "toolbar" },
        select("Window", "revenue-window", WINDOWS, prefs.revenueWindow, (v) => {
          prefs.revenueWindow = v;
          void load();
        }),
        select("By", "by", GROUP_BYS.map((b) => [b, label(b)] as const), prefs.revenueBy, (v) => {
          prefs.revenueBy = v as typeof prefs.revenueBy;
          void load();
        }),
        select("Model", "model", MODELS.map((m) => [m, MODEL_NAMES[m]] as const), prefs.revenueModel, (v) => {
          prefs.revenueModel = v as typeof prefs.revenueModel;
          void load();
        }),
      ),
    ),
    body,
  );
}

function reportParts(r: RevenueReport, byLabel: string, model: string): HTMLElement[] {
  const currency = r.currency ?? "USD";
  const fmt = (n: number | null) => money(n, currency);
  const groups = groupRows(r);
  const period = h("p", { class: "muted small" }, `${when(r.window.from)} – ${when(r.window.to)} · ${count(r.deals)} won deal${r.deals === 1 ? "" : "s"}`);
  if (groups.length === 0 || r.total.revenue === 0) {
    return [period, empty("No won revenue in this window yet.", "Import deals (`foothold import deals deals.csv`) with closed_at and won = true; revenue is credited to the sessions of the deal's account.")];
  }
  const rows = groups.filter((x) => x.revenue_per_visitor !== null);
  const chart = h("div", { class: "chart", id: "revenue-chart", "data-model": model });
  requestAnimationFrame(() => {
    if (chart.isConnected) barChart(chart, rows.map((x) => x.key), rows.map((x) => x.revenue_per_visitor ?? 0), fmt, (n) => moneyShort(n, currency), Math.max(320, chart.clientWidth));
  });
  // Spend columns only when some group has spend (channel, source, medium or campaign with imported spend).
  const withSpend = groups.some((x) => x.spend !== undefined);
  const spendCells = (x: RevenueRow) => (withSpend ? [h("td", { class: "num" }, x.spend === undefined ? "—" : fmt(x.spend)), h("td", { class: "num" }, x.roas === undefined || x.roas === null ? "—" : `${x.roas.toFixed(2)}×`)] : []);
  const tr = (x: RevenueRow, cls = "") =>
    h("tr", { class: cls, "data-key": x.key }, h("td", {}, x.key), h("td", { class: "num" }, count(x.visitors)), h("td", { class: "num" }, count(x.sessions)), h("td", { class: "num" }, fmt(x.revenue)), h("td", { class: "num strong" }, fmt(x.revenue_per_visitor)), ...spendCells(x));
  const unattributed = r.unattributed > 0 ? h("p", { class: "muted small" }, `${fmt(r.unattributed)} came from deals whose account had no visit in the lookback: in the total, not in any group.`) : null;
  return [
    period,
    h(
      "div",
      { class: "stats" },
      h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Won revenue"), h("span", { class: "stat-value", id: "revenue-total" }, fmt(r.total.revenue))),
      h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Visitors"), h("span", { class: "stat-value" }, count(r.total.visitors))),
      h("div", { class: "stat" }, h("span", { class: "stat-label" }, "Revenue per visitor"), h("span", { class: "stat-value", id: "rpv-total" }, fmt(r.total.revenue_per_visitor))),
      h("div", { class: "stat", "data-stat": "median-days" }, h("span", { class: "stat-label" }, "Median days to close"), h("span", { class: "stat-value" }, r.total.median_days_to_close === null ? "—" : String(r.total.median_days_to_close))),
      h("div", { class: "stat", "data-stat": "median-touches" }, h("span", { class: "stat-label" }, "Median touches"), h("span", { class: "stat-value" }, r.total.median_touches === null ? "—" : String(r.total.median_touches))),
    ),
    h("div", { class: "card" }, h("h2", {}, `Revenue per visitor by ${byLabel.toLowerCase()}`), chart),
    h(
      "div",
      { class: "card table-card" },
      h(
        "table",
        { class: "compact", id: "revenue-table" },
        h("thead", {}, h("tr", {}, h("th", {}, byLabel), h("th", { class: "num" }, "Visitors"), h("th", { class: "num" }, "Sessions"), h("th", { class: "num" }, "Revenue"), h("th", { class: "num" }, "Per visitor"), ...(withSpend ? [h("th", { class: "num" }, "Spend"), h("th", { class: "num" }, "ROAS")] : []))),
        h("tbody", {}, ...groups.map((x) => tr(x))),
        h("tfoot", {}, tr({ ...r.total, key: "Total" }, "total")),
      ),
    ),
    ...(unattributed ? [unattributed] : []),
  ];
}
