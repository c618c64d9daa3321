// Coverage: how many of the segment's accounts engaged this period, against the period before.
import type { CoverageReport, PeriodCoverage } from "../../../cli/client/client";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, percent, pointsDelta, when } from "../format";

const PERIODS = [["week", "Week"], ["month", "Month"], ["quarter", "Quarter"]] as const;

export function coverageView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const body = h("div", {});
  const segment = h("input", { type: "search", name: "coverage-segment", value: prefs.coverageSegment, list: "segments", autocomplete: "off" });
  segment.addEventListener("change", () => {
    prefs.coverageSegment = segment.value.trim().toLowerCase() || "target";
    void load();
  });

  async function load() {
    replace(body, loading("coverage"));
    try {
      const report = await ctx.client.coverage({ segment: prefs.coverageSegment, period: prefs.coveragePeriod });
      if (ctx.isCurrent()) replace(body, coverageParts(report));
    } catch (err) {
      ctx.fail(err, body);
    }
  }
  void load();

  return h(
    "section",
    { class: "view", "aria-labelledby": "coverage-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "coverage-title" }, "Coverage"), h("p", { class: "muted" }, "Share of a segment's accounts with at least one engagement")),
      h(
        "div",
        { class: "toolbar" },
        h("label", { class: "field" }, h("span", {}, "Segment"), segment),
        select("Period", "period", PERIODS, prefs.coveragePeriod, (v) => {
          prefs.coveragePeriod = v as typeof prefs.coveragePeriod;
          void load();
        }),
      ),
    ),
    body,
  );
}

function coverageParts(r: CoverageReport): HTMLElement {
  if (r.current.accounts === 0) {
    return empty(`No accounts are in the “${r.segment}” segment.`, "Import your target list with a segment column: `foothold import accounts targets.csv`.");
  }
  const up = r.current.share - r.previous.share;
  const period = (name: string, p: PeriodCoverage, id: string) => {
    const fill = h("span", { class: "bar-fill" });
    fill.style.width = `${p.share * 100}%`;
    return h(
      "div",
      { class: "card coverage-period", "data-period": id },
      h("span", { class: "stat-label" }, `${name} · ${when(p.from)} – ${when(p.to)}`),
      h("span", { class: "coverage-share" }, percent(p.share)),
      h("span", { class: "bar-track wide" }, fill),
      h("span", { class: "muted" }, `${count(p.engaged)} of ${count(p.accounts)} accounts engaged`),
    );
  };
  return h(
    "div",
    {},
    h("div", { class: "grid-2" }, period(`This ${r.period}`, r.current, "current"), period(`Last ${r.period}`, r.previous, "previous")),
    h("p", { class: `delta ${up > 0 ? "up" : up < 0 ? "down" : ""}` }, `${pointsDelta(r.current.share, r.previous.share)} against last ${r.period}`),
  );
}
