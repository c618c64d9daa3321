// Top accounts: one page of the ranking at a time (the API's cursor), so 10,000 accounts cost
// no more than 25. Each row's sparkline is drawn from the daily series the same list request
// asks for (series=daily), so a page is one request, not one more per row.
import type { AccountSummary } from "../../../cli/client/client";
import { sparkline } from "../charts";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, daysBetween, denseSeries, duration, scoreText, when } from "../format";

const PAGE_SIZE = 25;
const WINDOWS = [["7d", "Last 7 days"], ["30d", "Last 30 days"], ["90d", "Last 90 days"]] as const;

export function accountsView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", { class: "card table-card" });
  const range = h("span", { class: "muted" });

  const segment = h("input", { type: "search", name: "segment", list: "segments", placeholder: "All segments", value: prefs.segment, autocomplete: "off" });
  segment.addEventListener("change", () => {
    prefs.segment = segment.value.trim().toLowerCase();
    prefs.cursors = [];
    void load();
  });
  const toolbar = h(
    "div",
    { class: "toolbar" },
    select("Window", "window", WINDOWS, prefs.window, (v) => {
      prefs.window = v as typeof prefs.window;
      prefs.cursors = [];
      void load();
    }),
    h("label", { class: "field" }, h("span", {}, "Segment"), segment),
    h("datalist", { id: "segments" }, h("option", { value: "target" }), h("option", { value: "customer" }), h("option", { value: "prospect" })),
  );

  async function load(): Promise<void> {
    replace(body, loading("accounts"));
    const cursor = prefs.cursors[prefs.cursors.length - 1];
    try {
      const page = await ctx.client.accounts.list({ window: prefs.window, segment: prefs.segment || undefined, limit: PAGE_SIZE, cursor, series: "daily" });
      if (!ctx.isCurrent()) return;
      range.textContent = `${when(page.window.from)} – ${when(page.window.to)}`;
      if (page.accounts.length === 0) {
        replace(body, prefs.cursors.length
          ? empty("No more accounts.", pager(false))
          : empty(prefs.segment ? `No ${prefs.segment} accounts engaged in this window.` : "No engaged accounts in this window yet.", "Accounts appear once visitors resolve to them: embed the snippet, or import accounts with their domains."));
        return;
      }
      const rows = page.accounts.map((a, i) => accountRow(a, prefs.cursors.length * PAGE_SIZE + i + 1));
      replace(body, table(rows.map((r) => r.tr)), pager(page.next_cursor !== null, page.next_cursor));
      // Quiet days are absent from the series; denseSeries draws them as zero.
      const days = daysBetween(page.window.from, page.window.to);
      for (const row of rows) sparkline(row.spark, days, denseSeries(days, row.daily));
    } catch (err) {
      ctx.fail(err, body);
    }
  }

  function pager(hasNext: boolean, next?: string | null): HTMLElement {
    const pageNo = prefs.cursors.length + 1;
    return h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      h("button", { type: "button", disabled: pageNo === 1, onclick: () => { prefs.cursors.pop(); void load(); } }, "← Previous"),
      h("span", { class: "muted" }, `Page ${pageNo}`),
      h("button", { type: "button", disabled: !hasNext, onclick: () => { if (next) prefs.cursors.push(next); void load(); } }, "Next →"),
    );
  }

  void load();
  return h(
    "section",
    { class: "view", "aria-labelledby": "accounts-title" },
    h("header", { class: "view-head" }, h("div", {}, h("h1", { id: "accounts-title" }, "Top accounts"), h("p", { class: "muted" }, "Ranked by engagement score · ", range)), toolbar),
    body,
  );
}

interface Row {
  tr: HTMLTableRowElement;
  spark: HTMLElement;
  daily: NonNullable<AccountSummary["daily"]>;
}

function accountRow(a: AccountSummary, rank: number): Row {
  const spark = h("div", { class: "spark" });
  const href = `#/accounts/${encodeURIComponent(a.domain)}`;
  const tr = h(
    "tr",
    { "data-domain": a.domain },
    h("td", { class: "rank num" }, rank),
    h(
      "td",
      { class: "account" },
      h("a", { href, class: "account-link" }, a.name ?? a.domain),
      h("div", { class: "sub" }, a.domain, a.segment ? h("span", { class: "pill" }, a.segment) : null, a.surging ? h("span", { class: "badge surging", title: "This week ≥ 2× the mean of the three weeks before" }, "Surging") : null),
    ),
    h("td", { class: "num score", "data-col": "score" }, scoreText(a.score)),
    h("td", { class: "spark-cell" }, spark),
    h("td", { class: "num", "data-col": "visitors" }, count(a.visitors)),
    h("td", { class: "num", "data-col": "people" }, count(a.people)),
    h("td", { class: "num", "data-col": "sessions" }, count(a.sessions)),
    h("td", { class: "num", "data-col": "pageviews" }, count(a.pageviews)),
    h("td", { class: "num", "data-col": "form_submits" }, count(a.form_submits)),
    h("td", { class: "num", "data-col": "engaged" }, duration(a.engaged_seconds)),
    h("td", { class: "num muted" }, when(a.last_seen?.slice(0, 10))),
  );
  tr.addEventListener("click", (e) => {
    if (!(e.target instanceof HTMLAnchorElement)) location.hash = href;
  });
  return { tr, spark, daily: a.daily ?? [] };
}

function table(rows: HTMLTableRowElement[]): HTMLElement {
  const th = (text: string, cls = "") => h("th", { scope: "col", class: cls }, text);
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "accounts", id: "accounts-table" },
      h("thead", {}, h("tr", {}, th("#", "num"), th("Account"), th("Score", "num"), th("Daily activity"), th("Visitors", "num"), th("People", "num"), th("Sessions", "num"), th("Page views", "num"), th("Form submits", "num"), th("Engaged", "num"), th("Last seen", "num"))),
      h("tbody", {}, ...rows),
    ),
  );
}
