// One deal's journey (the spotlight): from the account's first touch to the close, every session,
// page view and form, with who did it.
import type { DealJourney, JourneyEvent } from "../../../cli/client/client";
import type { ViewContext } from "../context";
import { empty, h, loading, replace } from "../dom";
import { count, money, when } from "../format";

export function dealView(ctx: ViewContext, id: string): HTMLElement {
  const main = h("div", {}, loading(`deal ${id}`));
  void (async () => {
    try {
      const j = await ctx.client.dealJourney(id);
      if (ctx.isCurrent()) replace(main, ...journeyParts(j));
    } catch (err) {
      ctx.fail(err, main);
    }
  })();
  return h("section", { class: "view deal-view" }, h("a", { href: "#/content", class: "back" }, "← Content"), main);
}

function journeyParts(j: DealJourney): HTMLElement[] {
  const d = j.deal;
  const outcome = d.closed_at === null ? "Open" : d.won ? "Won" : "Lost";
  const stat = (name: string, value: string, key: string) => h("div", { class: "stat", "data-stat": key }, h("span", { class: "stat-label" }, name), h("span", { class: "stat-value" }, value));
  // People are shown by the start of their hashed id; the timeline does the same.
  const who = (e: { person_id: string | null; anonymous_id: string }) => (e.person_id ? `person ${e.person_id.slice(0, 8)}` : `visitor ${e.anonymous_id.slice(0, 10)}`);
  return [
    h(
      "header",
      { class: "view-head" },
      h(
        "div",
        {},
        h("h1", { id: "deal-title" }, `${d.id} · ${money(d.amount, d.currency)}`),
        h(
          "p",
          { class: "muted sub" },
          d.account ? h("a", { href: `#/accounts/${encodeURIComponent(d.account.domain)}`, id: "deal-account" }, d.account.name ?? d.account.domain) : "No account",
          h("span", { class: `pill outcome ${outcome.toLowerCase()}` }, outcome),
          d.closed_at ? ` closed ${when(d.closed_at)}` : d.created_at ? ` opened ${when(d.created_at)}` : null,
        ),
      ),
    ),
    h(
      "div",
      { class: "stats" },
      stat("First touch", when(j.first_touch_at?.slice(0, 10)), "first_touch"),
      stat("Days to close", j.days_to_close === null ? "—" : String(j.days_to_close), "days_to_close"),
      stat("Touches", count(j.touches), "touches"),
      stat("People", count(j.people), "people"),
      stat("Visitors", count(j.visitors), "visitors"),
    ),
    h("div", { class: "card" }, h("h2", {}, "Channels, in the order the journey first used them"), h("ol", { class: "channels", id: "journey-channels" }, ...j.channels.map((c) => h("li", { class: "pill" }, c)))),
    h(
      "div",
      { class: "card" },
      h("h2", {}, `Every page view and form before ${d.closed_at ? "the close" : "today"}`),
      j.events.length === 0
        ? empty("No visits in the lookback.", `Sessions of the account's visitors in the ${j.lookback_days} days before the close count.`)
        : h("ol", { class: "timeline", id: "journey-events" }, ...j.events.map((e) => eventItem(e, who(e)))),
      j.truncated ? h("p", { class: "muted small" }, "The account has more visitors than a journey reads; the first 2,000 are shown.") : null,
    ),
  ];
}

function eventItem(e: JourneyEvent, who: string): HTMLElement {
  const what = e.kind === "page_view" ? `Viewed ${e.path ?? "a page"}` : `${e.kind === "form_submit" ? "Submitted" : e.kind === "form_start" ? "Started" : "Abandoned"} ${e.form ? `form ${e.form}` : "a form"}${e.path ? ` on ${e.path}` : ""}`;
  return h("li", { class: `moment ${e.kind}`, "data-kind": e.kind }, h("span", { class: "dot", "aria-hidden": "true" }), h("time", { datetime: e.at }, when(e.at)), h("span", { class: "what" }, what), h("span", { class: "muted small" }, who));
}
