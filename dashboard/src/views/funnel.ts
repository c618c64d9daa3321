// The funnel page: customers this period against the last, visitors → leads → opportunities →
// customers with rates and median days (whole, or per first-touch channel), and the backward
// planner as a small form that answers as it is typed in.
import type { CustomersPeriod, CustomersReport, FunnelPlan, FunnelReport, FunnelStage } from "../../../cli/client/client";
import { CUSTOMER_PERIODS, PLAN_PERIODS } from "../../../cli/client/enums";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, daysText, label, money, percent, planned, when } from "../format";
import { describe } from "../session";
import { REPORT_WINDOWS, windowQuery } from "../windows";

const STAGE_NAMES: Record<string, string> = { visitors: "Visitors", leads: "Leads", opportunities: "Opportunities", customers: "Customers" };

export function funnelView(ctx: ViewContext): HTMLElement {
  const { prefs } = ctx;
  const customers = h("div", {});
  const funnel = h("div", {});

  async function loadCustomers() {
    replace(customers, loading("customers"));
    try {
      const r = await ctx.client.customers({ period: prefs.customersPeriod });
      if (ctx.isCurrent()) replace(customers, customersCard(r));
    } catch (err) {
      ctx.fail(err, customers);
    }
  }
  async function loadFunnel() {
    replace(funnel, loading("the funnel"));
    try {
      const r = await ctx.client.funnel({ ...windowQuery(prefs.funnelWindow), by: prefs.funnelBy || undefined });
      if (ctx.isCurrent()) replace(funnel, ...funnelParts(r));
    } catch (err) {
      ctx.fail(err, funnel);
    }
  }
  void loadCustomers();
  void loadFunnel();

  return h(
    "section",
    { class: "view", "aria-labelledby": "funnel-title" },
    h(
      "header",
      { class: "view-head" },
      h("div", {}, h("h1", { id: "funnel-title" }, "Funnel"), h("p", { class: "muted" }, "Visitors → leads → opportunities → customers, and what a revenue goal needs of each")),
      h(
        "div",
        { class: "toolbar" },
        select("Customers", "customers-period", CUSTOMER_PERIODS.map((p) => [p, `This ${p} vs last`] as const), prefs.customersPeriod, (v) => {
          prefs.customersPeriod = v as typeof prefs.customersPeriod;
          void loadCustomers();
        }),
        select("Window", "funnel-window", REPORT_WINDOWS, prefs.funnelWindow, (v) => {
          prefs.funnelWindow = v;
          void loadFunnel();
        }),
        select("Split", "funnel-by", [["", "Whole funnel"], ["channel", "By first-touch channel"]], prefs.funnelBy, (v) => {
          prefs.funnelBy = v as typeof prefs.funnelBy;
          void loadFunnel();
        }),
      ),
    ),
    customers,
    funnel,
    plannerCard(ctx),
  );
}

function customersCard(r: CustomersReport): HTMLElement {
  const currency = r.currency ?? "USD";
  const fmt = (n: number | null) => money(n, currency);
  const period = (name: string, p: CustomersPeriod, id: string) =>
    h(
      "div",
      { class: "card customers-period", "data-period": id },
      h("span", { class: "stat-label" }, `${name} · ${when(p.from)} – ${when(p.to)}`),
      h(
        "dl",
        { class: "figures" },
        figure("Customers", count(p.customers), "customers"),
        figure("New customers", count(p.new_customers), "new_customers"),
        figure("Won revenue", fmt(p.won_revenue), "won_revenue"),
        figure("New business", fmt(p.new_business_revenue), "new_business_revenue"),
        figure("Expansion", fmt(p.expansion_revenue), "expansion_revenue"),
        figure("Per customer", fmt(p.revenue_per_customer), "revenue_per_customer"),
      ),
    );
  return h(
    "div",
    { class: "customers-card", id: "customers-card" },
    h("h2", {}, "Customers"),
    h("div", { class: "grid-2" }, period(`This ${r.period}`, r.current, "current"), period(`Last ${r.period}`, r.previous, "previous")),
  );
}

const figure = (name: string, value: string, key: string) => h("div", { class: "figure", "data-figure": key }, h("dt", {}, name), h("dd", {}, value));

function funnelParts(r: FunnelReport): HTMLElement[] {
  const range = h("p", { class: "muted small" }, `${when(r.from)} – ${when(r.to)} · counts of what happened in the window; days from the stage above`);
  if (r.stages[0].count === 0 && r.stages.every((s) => s.count === 0)) {
    return [range, empty("Nothing reached the funnel in this window yet.", "Visitors come from the snippet; leads from identify calls and forms with an email; opportunities and customers from imported deals.")];
  }
  const top = Math.max(1, ...r.stages.map((s) => s.count));
  const stageRow = (s: FunnelStage) => {
    const fill = h("span", { class: "bar-fill" });
    fill.style.width = `${(s.count / top) * 100}%`;
    return h(
      "tr",
      { "data-stage": s.name },
      h("td", {}, STAGE_NAMES[s.name] ?? s.name),
      h("td", { class: "bar-cell" }, h("span", { class: "bar-track" }, fill)),
      h("td", { class: "num strong", "data-col": "count" }, count(s.count)),
      h("td", { class: "num", "data-col": "rate" }, s.rate === null ? "—" : percent(s.rate)),
      h("td", { class: "num", "data-col": "median_days" }, daysText(s.median_days)),
    );
  };
  const parts: HTMLElement[] = [
    range,
    h(
      "div",
      { class: "card table-card" },
      h(
        "table",
        { class: "compact", id: "funnel-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Stage"), h("th", {}, ""), h("th", { class: "num" }, "Count"), h("th", { class: "num" }, "Rate from above"), h("th", { class: "num" }, "Median time from above"))),
        h("tbody", {}, ...r.stages.map(stageRow)),
      ),
    ),
  ];
  if (r.groups) {
    const cell = (s: FunnelStage) => h("td", { class: "num", "data-stage": s.name }, count(s.count), s.rate === null ? null : h("span", { class: "muted small" }, ` ${percent(s.rate)}`));
    parts.push(
      h(
        "div",
        { class: "card table-card" },
        h(
          "table",
          { class: "compact", id: "funnel-groups" },
          h("thead", {}, h("tr", {}, h("th", {}, `First-touch ${label(r.by ?? "channel").toLowerCase()}`), ...r.stages.map((s) => h("th", { class: "num" }, STAGE_NAMES[s.name] ?? s.name)))),
          h("tbody", {}, ...r.groups.map((g) => h("tr", { "data-key": g.key }, h("td", {}, g.key), ...g.stages.map(cell)))),
        ),
      ),
    );
  }
  return parts;
}

/** The backward planner: every change asks the API again (debounced); only the latest answer is drawn. */
function plannerCard(ctx: ViewContext): HTMLElement {
  const plan = ctx.prefs.plan;
  const out = h("div", { id: "plan-result", "aria-live": "polite" });
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const input = (name: keyof typeof plan, text: string, attrs: Record<string, string>) => {
    const el = h("input", { name: `plan-${name}`, value: plan[name], autocomplete: "off", ...attrs });
    el.addEventListener("input", () => {
      (plan as Record<string, string>)[name] = el.value.trim();
      schedule();
    });
    return h("label", { class: "field" }, h("span", {}, text), el);
  };

  async function ask() {
    const mine = ++asked;
    out.setAttribute("aria-busy", "true");
    try {
      const r = await ctx.client.plan({
        revenue: plan.revenue.replace(/[\s,_]/g, ""),
        per: plan.per,
        deal_size: plan.deal_size.replace(/[\s,_]/g, ""),
        stages: plan.stages || undefined,
        rates: plan.rates || undefined,
      });
      if (mine === asked && ctx.isCurrent()) replace(out, planTable(r));
    } catch (err) {
      // A half-typed goal is an everyday state here, not a failure of the page: say what is missing.
      if (mine === asked && ctx.isCurrent()) replace(out, h("p", { class: "state notice plan-error", role: "status" }, describe(err)));
    } finally {
      if (mine === asked) out.removeAttribute("aria-busy");
    }
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => void ask(), 250);
  }
  void ask();

  return h(
    "div",
    { class: "card planner", id: "planner" },
    h("h2", {}, "Plan backwards from a revenue goal"),
    h("p", { class: "muted small" }, "Customers needed = revenue ÷ deal size; each stage above = the one below ÷ its rate. Leave the rates empty to use the ones measured over the last 12 months."),
    h(
      "form",
      { class: "toolbar plan-form", onsubmit: (e: Event) => e.preventDefault() },
      input("revenue", "Revenue goal", { inputmode: "decimal", placeholder: "10000000" }),
      select("Per", "plan-per", PLAN_PERIODS.map((p) => [p, label(p)] as const), plan.per, (v) => {
        plan.per = v as typeof plan.per;
        schedule();
      }),
      input("deal_size", "Deal size", { inputmode: "decimal", placeholder: "1100000" }),
      input("stages", "Stages (top to bottom)", { placeholder: "visitors,leads,opportunities,customers", class: "wide" }),
      input("rates", "Rates", { placeholder: "measured, or 1.5%,20%,…", class: "wide" }),
    ),
    out,
  );
}

function planTable(r: FunnelPlan): HTMLElement {
  const source = r.measured ? `Rates measured ${when(r.measured.from)} – ${when(r.measured.to)}` : "Rates as given";
  return h(
    "div",
    {},
    h(
      "table",
      { class: "compact", id: "plan-table", "data-rates": r.rates_from },
      h("thead", {}, h("tr", {}, h("th", {}, "Stage"), h("th", { class: "num" }, "Rate"), h("th", { class: "num" }, `Per ${r.per}`), h("th", { class: "num" }, "Per month"))),
      h(
        "tbody",
        {},
        ...r.stages.map((s) =>
          h(
            "tr",
            { "data-stage": s.name },
            h("td", {}, s.name),
            h("td", { class: "num", "data-col": "rate" }, s.rate === null ? "—" : percent(s.rate)),
            h("td", { class: "num", "data-col": "per_period" }, planned(s.per_period)),
            h("td", { class: "num strong", "data-col": "per_month" }, planned(s.per_month)),
          ),
        ),
      ),
    ),
    h("p", { class: "muted small" }, source),
  );
}
