// Campaigns: what each UTM campaign cost against the pipeline and revenue credited to it, its
// ROAS, and the target accounts it reached (and reached for the first time in 90 days).
import type { CampaignRow, CampaignsReport } from "../../../cli/client/client";
import { MODELS } from "../../../cli/client/enums";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, money, when } from "../format";
import { MODEL_NAMES, REPORT_WINDOWS, windowQuery } from "../windows";

export function campaignsView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", {});
  const segment = h("input", { type: "search", name: "campaigns-segment", list: "segments", placeholder: "All accounts", value: prefs.campaignsSegment, autocomplete: "off" });
  segment.addEventListener("change", () => {
    prefs.campaignsSegment = segment.value.trim().toLowerCase();
    void load();
  });

  async function load() {
    replace(body, loading("campaigns"));
    try {
      const report = await ctx.client.campaigns({ ...windowQuery(prefs.campaignsWindow), segment: prefs.campaignsSegment || undefined, model: prefs.campaignsModel });
      if (ctx.isCurrent()) replace(body, ...reportParts(report));
    } catch (err) {
      ctx.fail(err, body);
    }
  }
  void load();

  return h(
    "section",
    { class: "view", "aria-labelledby": "campaigns-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "campaigns-title" }, "Campaigns"), h("p", { class: "muted" }, "Spend against the pipeline and revenue credited to each UTM campaign")),
      h(
        "div",
        { class: "toolbar" },
        select("Window", "campaigns-window", REPORT_WINDOWS, prefs.campaignsWindow, (v) => {
          prefs.campaignsWindow = v;
          void load();
        }),
        h("label", { class: "field" }, h("span", {}, "Engaged segment"), segment),
        h("datalist", { id: "segments" }, h("option", { value: "target" }), h("option", { value: "customer" })),
        select("Model", "campaigns-model", MODELS.map((m) => [m, MODEL_NAMES[m]] as const), prefs.campaignsModel, (v) => {
          prefs.campaignsModel = v as typeof prefs.campaignsModel;
          void load();
        }),
      ),
    ),
    body,
  );
}

const roasText = (n: number | null) => (n === null ? "—" : `${n.toFixed(2)}×`);

function reportParts(r: CampaignsReport): HTMLElement[] {
  const currency = r.currency ?? "USD";
  const fmt = (n: number | null) => money(n, currency);
  const period = h("p", { class: "muted small" }, `${when(r.window.from)} – ${when(r.window.to)} · pipeline and revenue under ${MODEL_NAMES[r.model] ?? r.model}`);
  if (r.rows.length === 0) {
    return [period, empty("No campaign traffic, spend or deals in this window.", "Tag your ads' links with utm_campaign and import their spend: `foothold import spend spend.csv`.")];
  }
  return [
    period,
    h(
      "div",
      { class: "stats" },
      stat("Spend", fmt(r.totals.spend), "spend"),
      stat("Pipeline", fmt(r.totals.pipeline), "pipeline"),
      stat("Revenue", fmt(r.totals.revenue), "revenue"),
      stat("ROAS", roasText(r.totals.roas), "roas"),
    ),
    h("div", { class: "card" }, h("h2", {}, "Spend against pipeline and revenue"), comparison(r.rows, fmt)),
    h("div", { class: "card table-card" }, h("div", { class: "table-scroll" }, table(r, fmt))),
  ];
}

const stat = (name: string, value: string, id: string) => h("div", { class: "stat", "data-stat": id }, h("span", { class: "stat-label" }, name), h("span", { class: "stat-value" }, value));

/** Three bars per campaign on one scale, with the figures stated for screen readers (and tests). */
function comparison(rows: readonly CampaignRow[], fmt: (n: number | null) => string): HTMLElement {
  const shown = rows.slice(0, 12);
  const max = Math.max(1, ...shown.flatMap((x) => [x.spend ?? 0, x.pipeline, x.revenue]));
  const bar = (kind: string, value: number) => {
    const fill = h("span", { class: `bar-fill ${kind}` });
    fill.style.width = `${(value / max) * 100}%`; // CSSOM, allowed by the page's CSP
    return h("span", { class: "bar-track" }, fill);
  };
  return h(
    "div",
    {},
    h("p", { class: "legend small muted" }, h("span", { class: "key spend" }), "Spend ", h("span", { class: "key pipeline" }), "Pipeline ", h("span", { class: "key revenue" }), "Revenue"),
    h(
      "ul",
      { class: "compare", id: "campaigns-chart", role: "img", "aria-label": shown.map((x) => `${x.key}: spend ${fmt(x.spend)}, pipeline ${fmt(x.pipeline)}, revenue ${fmt(x.revenue)}`).join("; ") },
      ...shown.map((x) => h("li", {}, h("span", { class: "bar-label" }, x.key), h("span", { class: "bar-stack" }, bar("spend", x.spend ?? 0), bar("pipeline", x.pipeline), bar("revenue", x.revenue)), h("span", { class: "num" }, roasText(x.roas)))),
    ),
  );
}

function table(r: CampaignsReport, fmt: (n: number | null) => string): HTMLElement {
  const th = (text: string, cls = "") => h("th", { scope: "col", class: cls }, text);
  const td = (col: string, text: string, cls = "num") => h("td", { class: cls, "data-col": col }, text);
  return h(
    "table",
    { class: "compact", id: "campaigns-table" },
    h("thead", {}, h("tr", {}, th("Campaign"), th("Source / medium"), th("Spend", "num"), th("Visitors", "num"), th("Engaged accounts", "num"), th("Newly engaged", "num"), th("Per engaged account", "num"), th("Pipeline", "num"), th("Revenue", "num"), th("ROAS", "num"))),
    h(
      "tbody",
      {},
      ...r.rows.map((x) =>
        h(
          "tr",
          { "data-key": x.key },
          td("key", x.key, ""),
          td("source", [x.source, x.medium].filter(Boolean).join(" / ") || "—", "muted"),
          td("spend", fmt(x.spend)),
          td("visitors", count(x.visitors)),
          td("engaged", count(x.engaged_accounts)),
          td("new", count(x.new_engaged_accounts)),
          td("per_engaged", fmt(x.cost_per_engaged_account)),
          td("pipeline", fmt(x.pipeline)),
          td("revenue", fmt(x.revenue)),
          td("roas", roasText(x.roas), "num strong"),
        ),
      ),
    ),
  );
}
