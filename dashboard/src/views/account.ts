// One account: its numbers, why it scores what it scores, who its people are, and its journey.
import type { AccountDetail, Timeline, TimelineItem } from "../../../cli/client/client";
import { dailyChart } from "../charts";
import type { ViewContext } from "../context";
import { empty, h, loading, replace } from "../dom";
import { count, daysBetween, denseSeries, duration, label, money, scoreText, when } from "../format";

const COMPONENT_NAMES: Record<string, string> = {
  page_views: "Page views",
  high_intent_page_views: "High-intent page views",
  form_starts: "Form starts",
  form_submits: "Form submits",
  engaged_minutes: "Engaged minutes",
};

export function accountView(ctx: ViewContext, domain: string): HTMLElement {
  const main = h("div", {}, loading(domain));
  const timeline = h("div", { class: "card" }, loading("timeline"));
  void (async () => {
    try {
      const detail = await ctx.client.accounts.get(domain, { window: ctx.prefs.window });
      if (ctx.isCurrent()) replace(main, ...detailParts(detail));
    } catch (err) {
      ctx.fail(err, main);
    }
  })();
  void (async () => {
    try {
      const t = await ctx.client.accounts.timeline(domain);
      if (ctx.isCurrent()) replace(timeline, ...timelineParts(t));
    } catch (err) {
      ctx.fail(err, timeline);
    }
  })();
  return h("section", { class: "view account-view" }, h("a", { href: "#/accounts", class: "back" }, "← All accounts"), main, h("h2", { class: "section-title" }, "Timeline"), timeline);
}

function detailParts(d: AccountDetail): HTMLElement[] {
  const a = d.account;
  const c = d.counts;
  const stat = (name: string, value: string, id: string) => h("div", { class: "stat", "data-stat": id }, h("span", { class: "stat-label" }, name), h("span", { class: "stat-value" }, value));
  const days = daysBetween(d.window.from, d.window.to);
  const chart = h("div", { class: "chart" });
  // uPlot needs the element's width: draw once the card is laid out.
  requestAnimationFrame(() => {
    if (chart.isConnected) dailyChart(chart, days, denseSeries(days, d.daily), Math.max(300, chart.clientWidth));
  });

  return [
    h(
      "header",
      { class: "view-head" },
      h(
        "div",
        {},
        h("h1", { id: "account-title" }, a.name ?? a.domain),
        h("p", { class: "muted sub" }, a.domain, a.segment ? h("span", { class: "pill" }, a.segment) : null, d.surging ? h("span", { class: "badge surging" }, "Surging") : null, a.crm_id ? ` · CRM ${a.crm_id}` : null),
      ),
      h("p", { class: "muted" }, `${when(d.window.from)} – ${when(d.window.to)}`),
    ),
    h(
      "div",
      { class: "stats" },
      stat("Score", scoreText(d.score.value), "score"),
      stat("Visitors", count(c.visitors), "visitors"),
      stat("People", count(c.people), "people"),
      stat("Sessions", count(c.sessions), "sessions"),
      stat("Page views", count(c.pageviews), "pageviews"),
      stat("Form submits", count(c.form_submits), "form_submits"),
      stat("Engaged time", duration(c.engaged_seconds), "engaged"),
      stat("Last seen", when(c.last_seen?.slice(0, 10)), "last_seen"),
    ),
    h("div", { class: "grid-2" }, h("div", { class: "card" }, h("h2", {}, "Why this score"), components(d)), h("div", { class: "card" }, h("h2", {}, "Daily activity"), chart)),
    h("div", { class: "grid-2" }, h("div", { class: "card" }, h("h2", {}, "People"), people(d)), h("div", { class: "card" }, h("h2", {}, "Top pages"), topPages(d))),
  ];
}

function components(d: AccountDetail): HTMLElement {
  const entries = Object.entries(d.score.components).filter(([, v]) => v > 0);
  if (entries.length === 0) return empty("No activity in this window.");
  const max = Math.max(...entries.map(([, v]) => v));
  const list = h("ul", { class: "bars", id: "score-components" });
  for (const [k, v] of entries.sort((x, y) => y[1] - x[1])) {
    const fill = h("span", { class: "bar-fill" });
    fill.style.width = `${(v / max) * 100}%`; // CSSOM, allowed by the page's CSP
    list.append(h("li", {}, h("span", { class: "bar-label" }, COMPONENT_NAMES[k] ?? label(k)), h("span", { class: "bar-track" }, fill), h("span", { class: "num" }, scoreText(v))));
  }
  return h("div", {}, list, h("p", { class: "muted small" }, `Each event's weight halves every ${d.score.half_life_days} days; score as of ${when(d.score.as_of)}.`));
}

function people(d: AccountDetail): HTMLElement {
  if (d.people.length === 0) {
    const anon = d.visitors.length;
    return empty("No known people yet.", anon ? `${count(anon)} anonymous visitor${anon === 1 ? "" : "s"}, resolved by ${[...new Set(d.visitors.map((v) => v.method))].join(", ")}.` : "People appear when a visitor identifies or submits a form.");
  }
  return h(
    "table",
    { class: "compact" },
    h("thead", {}, h("tr", {}, h("th", {}, "Person"), h("th", { class: "num" }, "Devices"), h("th", { class: "num" }, "Last seen"))),
    h("tbody", {}, ...d.people.map((p) => h("tr", {}, h("td", { title: p.id }, `someone@${p.email_domain ?? "?"} `, h("code", { class: "muted" }, p.id.slice(0, 8))), h("td", { class: "num" }, count(p.devices)), h("td", { class: "num muted" }, when(p.last_seen))))),
  );
}

function topPages(d: AccountDetail): HTMLElement {
  if (d.top_pages.length === 0) return empty("No page views in this window.");
  return h(
    "table",
    { class: "compact" },
    h("thead", {}, h("tr", {}, h("th", {}, "Page"), h("th", { class: "num" }, "Views"), h("th", { class: "num" }, "Visitors"))),
    h("tbody", {}, ...d.top_pages.slice(0, 10).map((p) => h("tr", {}, h("td", {}, h("code", {}, String(p.path))), h("td", { class: "num" }, count(p.views)), h("td", { class: "num" }, count(p.visitors))))),
  );
}

function timelineParts(t: Timeline): HTMLElement[] {
  if (t.items.length === 0) return [empty("Nothing has happened for this account yet.")];
  const items = [...t.items].reverse().slice(0, 200);
  const list = h("ol", { class: "timeline", id: "timeline" }, ...items.map(timelineItem));
  const more = t.items.length > items.length || t.truncated ? h("p", { class: "muted small" }, "Showing the latest 200 moments.") : null;
  return more ? [list, more] : [list];
}

function timelineItem(i: TimelineItem): HTMLElement {
  const who = i.person_id ? `person ${i.person_id.slice(0, 8)}` : i.anonymous_id ? `visitor ${i.anonymous_id.slice(0, 10)}` : "";
  // A deal's moments open its journey: every touch from the first to the close; its type (new
  // business or expansion) sits beside what happened, as a pill.
  const what = (i.kind === "deal_created" || i.kind === "deal_closed") && typeof i.deal_id === "string"
    ? h("a", { class: "what deal-link", href: `#/deals/${encodeURIComponent(i.deal_id)}`, title: "This deal's journey" }, describeMoment(i))
    : h("span", { class: "what" }, describeMoment(i));
  const type = i.kind.startsWith("deal_") && typeof i.type === "string" ? h("span", { class: "pill deal-type" }, i.type.replace("_", " ")) : null;
  return h("li", { class: `moment ${i.kind}` }, h("span", { class: "dot", "aria-hidden": "true" }), h("time", { datetime: i.at }, when(i.at)), h("span", {}, what, type), h("span", { class: "muted small" }, who));
}

function describeMoment(i: TimelineItem): string {
  const tp = (i.touchpoint ?? {}) as Record<string, string | null>;
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  switch (i.kind) {
    case "session": {
      const views = Number(i.pageviews ?? 0);
      // "(direct)" and friends are placeholders, not a source worth naming.
      const source = tp.source && !tp.source.startsWith("(") ? ` (${tp.source})` : "";
      return `Visit via ${tp.channel ?? "an unknown channel"}${source}, landed on ${tp.landing_page ?? "?"} · ${count(views)} page view${views === 1 ? "" : "s"}`;
    }
    case "identify":
      return "Identified themselves";
    case "group":
      return `Stated their account${str(i.group_id) ? ` (${i.group_id})` : ""}`;
    case "form_start":
    case "form_submit":
    case "form_abandon":
      return `${label(i.kind.replace("form_", "form "))}${str(i.form) ? `: ${i.form}` : ""}`;
    case "deal_created":
    case "deal_closed": {
      const amount = typeof i.amount === "number" ? ` ${money(i.amount, str(i.currency) ?? "USD")}` : "";
      return `${i.kind === "deal_created" ? "Deal opened" : i.won === false ? "Deal lost" : "Deal won"}${amount}`;
    }
    default:
      return label(i.kind);
  }
}
