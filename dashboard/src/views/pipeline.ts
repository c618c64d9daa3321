// Pipeline created in a window, per channel (or source, campaign …), under a chosen attribution
// model, with the part since won stacked in each bar.
import { groupRows, type PipelineReport, type PipelineRow } from "../../../cli/client/client";
import { GROUP_BYS, MODELS } from "../../../cli/client/enums";
import { OPEN, stackedBarChart, WON_FILL } from "../charts";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { dealCount, label, money, moneyShort, when } from "../format";
import { MODEL_NAMES, REPORT_WINDOWS, windowQuery } from "../windows";

export function pipelineView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", {});

  async function load() {
    replace(body, loading("pipeline"));
    try {
      const report = await ctx.client.pipeline({ by: prefs.pipelineBy, model: prefs.pipelineModel, ...windowQuery(prefs.pipelineWindow) });
      if (ctx.isCurrent()) replace(body, ...pipelineParts(report, label(prefs.pipelineBy)));
    } catch (err) {
      ctx.fail(err, body);
    }
  }
  void load();

  return h(
    "section",
    { class: "view", "aria-labelledby": "pipeline-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "pipeline-title" }, "Pipeline"), h("p", { class: "muted" }, "Deals created in the window, credited to the touchpoints before each deal was created")),
      h(
        "div",
        { class: "toolbar" },
        select("Window", "pipeline-window", REPORT_WINDOWS, prefs.pipelineWindow, (v) => {
          prefs.pipelineWindow = v;
          void load();
        }),
        select("By", "pipeline-by", GROUP_BYS.map((b) => [b, label(b)] as const), prefs.pipelineBy, (v) => {
          prefs.pipelineBy = v as typeof prefs.pipelineBy;
          void load();
        }),
        select("Model", "pipeline-model", MODELS.map((m) => [m, MODEL_NAMES[m]] as const), prefs.pipelineModel, (v) => {
          prefs.pipelineModel = v as typeof prefs.pipelineModel;
          void load();
        }),
      ),
    ),
    body,
  );
}

function pipelineParts(r: PipelineReport, byLabel: string): HTMLElement[] {
  const currency = r.currency ?? "USD";
  const fmt = (n: number | null) => money(n, currency);
  const groups = groupRows(r);
  const period = h("p", { class: "muted small" }, `Deals created ${when(r.window.from)} – ${when(r.window.to)} · ${r.model.replace("_", " ")} model`);
  if (r.total.deals === 0) {
    return [period, empty("No deals were created in this window.", "Import deals with created_at (`foothold import deals deals.csv`); open deals count as pipeline, won ones also as won revenue.")];
  }
  const chart = h("div", { class: "chart", id: "pipeline-chart", "data-model": r.model, "data-by": r.by });
  requestAnimationFrame(() => {
    if (chart.isConnected && groups.length > 0) {
      stackedBarChart(chart, groups.map((x) => x.key), groups.map((x) => x.pipeline), groups.map((x) => x.won_revenue), fmt, (n) => moneyShort(n, currency), Math.max(320, chart.clientWidth));
    }
  });
  const tr = (x: PipelineRow, cls = "") =>
    h(
      "tr",
      { class: cls, "data-key": x.key },
      h("td", {}, x.key),
      h("td", { class: "num", "data-col": "deals" }, dealCount(x.deals)),
      h("td", { class: "num", "data-col": "pipeline" }, fmt(x.pipeline)),
      h("td", { class: "num", "data-col": "won_deals" }, dealCount(x.won_deals)),
      h("td", { class: "num strong", "data-col": "won_revenue" }, fmt(x.won_revenue)),
    );
  const u = r.unattributed;
  const unattributed = u.deals > 0 ? h("p", { class: "muted small", id: "pipeline-unattributed" }, `${dealCount(u.deals)} deal${u.deals === 1 ? "" : "s"} (${fmt(u.pipeline)}) had no visit from the account before it was created: in the total, not in any group.`) : null;
  return [
    period,
    h(
      "div",
      { class: "stats" },
      h("div", { class: "stat", "data-stat": "pipeline" }, h("span", { class: "stat-label" }, "Pipeline created"), h("span", { class: "stat-value", id: "pipeline-total" }, fmt(r.total.pipeline))),
      h("div", { class: "stat", "data-stat": "deals" }, h("span", { class: "stat-label" }, "Deals"), h("span", { class: "stat-value" }, dealCount(r.total.deals))),
      h("div", { class: "stat", "data-stat": "won_revenue" }, h("span", { class: "stat-label" }, "Won since"), h("span", { class: "stat-value", id: "pipeline-won" }, fmt(r.total.won_revenue))),
    ),
    h("div", { class: "card" }, h("h2", {}, `Pipeline by ${byLabel.toLowerCase()}, won part stacked`), chart, legend()),
    h(
      "div",
      { class: "card table-card" },
      h(
        "table",
        { class: "compact", id: "pipeline-table" },
        h("thead", {}, h("tr", {}, h("th", {}, byLabel), h("th", { class: "num" }, "Deals"), h("th", { class: "num" }, "Pipeline"), h("th", { class: "num" }, "Won deals"), h("th", { class: "num" }, "Won revenue"))),
        h("tbody", {}, ...groups.map((x) => tr(x))),
        h("tfoot", {}, tr({ ...r.total, key: "Total" }, "total")),
      ),
    ),
    ...(unattributed ? [unattributed] : []),
  ];
}

function legend(): HTMLElement {
  const swatch = (color: string) => {
    const el = h("span", { class: "swatch", "aria-hidden": "true" });
    el.style.background = color;
    return el;
  };
  return h("p", { class: "legend muted small" }, swatch(OPEN), "Pipeline created ", swatch(WON_FILL), "Won since");
}
