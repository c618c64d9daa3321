// Content: pages ranked by the revenue of the won deals whose accounts read them before closing,
// a page of the ranking at a time; each page's deals open their journey.
import type { ContentReport, ContentRow } from "../../../cli/client/client";
import { CONTENT_SORTS, MODELS } from "../../../cli/client/enums";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, label, money, when } from "../format";
import { MODEL_NAMES, REPORT_WINDOWS, windowQuery } from "../windows";

const PAGE_SIZE = 25;

export function contentView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", { class: "card table-card" });
  const range = h("span", { class: "muted" });

  async function load() {
    replace(body, loading("content"));
    const cursor = prefs.contentCursors[prefs.contentCursors.length - 1];
    try {
      const report = await ctx.client.content({ ...windowQuery(prefs.contentWindow), model: prefs.contentModel, sort: prefs.contentSort, limit: PAGE_SIZE, cursor });
      if (!ctx.isCurrent()) return;
      range.textContent = `${when(report.window.from)} – ${when(report.window.to)}`;
      if (report.rows.length === 0) {
        replace(body, empty(prefs.contentCursors.length ? "No more pages." : "No page views or won deals in this window yet.", pager(false)));
        return;
      }
      replace(body, h("div", { class: "table-scroll" }, table(report)), pager(report.next_cursor !== null, report.next_cursor));
    } catch (err) {
      ctx.fail(err, body);
    }
  }

  function pager(hasNext: boolean, next?: string | null): HTMLElement {
    const pageNo = prefs.contentCursors.length + 1;
    return h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      h("button", { type: "button", disabled: pageNo === 1, onclick: () => { prefs.contentCursors.pop(); void load(); } }, "← Previous"),
      h("span", { class: "muted" }, `Page ${pageNo}`),
      h("button", { type: "button", disabled: !hasNext, onclick: () => { if (next) prefs.contentCursors.push(next); void load(); } }, "Next →"),
    );
  }

  const restart = (apply: () => void) => () => {
    apply();
    prefs.contentCursors = [];
    void load();
  };
  void load();
  return h(
    "section",
    { class: "view", "aria-labelledby": "content-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "content-title" }, "Content that closes deals"), h("p", { class: "muted" }, "Pages the accounts of won deals viewed before closing · ", range)),
      h(
        "div",
        { class: "toolbar" },
        select("Window", "content-window", REPORT_WINDOWS, prefs.contentWindow, (v) => restart(() => (prefs.contentWindow = v))()),
        select("Rank by", "content-sort", CONTENT_SORTS.map((s) => [s, label(s)] as const), prefs.contentSort, (v) => restart(() => (prefs.contentSort = v as typeof prefs.contentSort))()),
        select("Model", "content-model", MODELS.map((m) => [m, MODEL_NAMES[m]] as const), prefs.contentModel, (v) => restart(() => (prefs.contentModel = v as typeof prefs.contentModel))()),
      ),
    ),
    body,
  );
}

function table(r: ContentReport): HTMLElement {
  const fmt = (n: number) => money(n, r.currency ?? "USD");
  const th = (text: string, cls = "") => h("th", { scope: "col", class: cls }, text);
  const td = (col: string, text: string | number, cls = "num") => h("td", { class: cls, "data-col": col }, text);
  const deals = (x: ContentRow) =>
    h("td", { class: "deals", "data-col": "deals" }, ...x.deals.map((id) => h("a", { href: `#/deals/${encodeURIComponent(id)}`, class: "deal-link", title: "This deal's journey" }, id)));
  return h(
    "table",
    { class: "compact", id: "content-table" },
    h("thead", {}, h("tr", {}, th("Page"), th("Visitors", "num"), th("Views", "num"), th("Won deals", "num"), th("Influenced revenue", "num"), th("Attributed", "num"), th("Influenced pipeline", "num"), th("Deals"))),
    h(
      "tbody",
      {},
      ...r.rows.map((x) =>
        h(
          "tr",
          { "data-key": x.key },
          h("td", { "data-col": "key" }, h("code", {}, x.key)),
          td("visitors", count(x.visitors)),
          td("views", count(x.views)),
          td("influenced_deals", count(x.influenced_deals)),
          td("influenced_revenue", fmt(x.influenced_revenue), "num strong"),
          td("attributed_revenue", fmt(x.attributed_revenue)),
          td("influenced_pipeline", fmt(x.influenced_pipeline)),
          deals(x),
        ),
      ),
    ),
  );
}
