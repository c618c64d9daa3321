// What marketing is judged on (SPEC §10): pipeline per channel, the funnel, the backward plan,
// customers this period against the last.
import { type FunnelStage, groupRows } from "../client/client";
import { CUSTOMER_PERIODS, FUNNEL_BYS, GROUP_BYS, MODELS, PLAN_PERIODS, WINDOWS } from "../client/enums";
import { type Command, EXIT, oneOf, optionalOneOf, str, UsageError } from "../command";
import { formatTable, int, moneyText } from "../table";

const windowOptions = {
  window: { type: "string" as const, help: "<7d|30d|90d>  days ending today, UTC (default 30d)" },
  from: { type: "string" as const, help: "<YYYY-MM-DD>  first day instead of --window" },
  to: { type: "string" as const, help: "<YYYY-MM-DD>  last day (default today)" },
};
const json = { json: { type: "boolean" as const, help: "print the API's JSON instead of a table" } };

/** Attributed deal counts are fractions under multi-touch models: two decimals, whole ones plain. */
const deals = (n: number) => (Number.isInteger(n) ? int(n) : n.toFixed(2));
const percent = (r: number | null) => (r === null ? "" : `${(r * 100).toFixed(1)}%`);
const days = (d: number | null) => (d === null ? "" : `${d.toFixed(1)} d`);
/** Planned counts: whole numbers from 100 up, else three significant digits (9.09, 0.758). */
const planned = (n: number) => (n >= 100 ? int(n) : n.toPrecision(3));

export const pipelineTable: Command = {
  words: ["pipeline"],
  summary: "Print pipeline created in the window by channel (or another dimension), and its won part",
  options: {
    by: { type: "string", help: `<${GROUP_BYS.join("|")}>  (default channel)` },
    model: { type: "string", help: `<${MODELS.join("|")}>  (default first_touch)` },
    ...windowOptions,
    currency: { type: "string", help: "<USD>  needed when the window's deals use several currencies" },
    ...json,
  },
  async run(ctx) {
    const v = ctx.values;
    const by = oneOf(str(v.by), GROUP_BYS, "by", "channel");
    const model = oneOf(str(v.model), MODELS, "model", "first_touch");
    const r = await ctx.client().pipeline({ by, model, window: optionalOneOf(str(v.window), WINDOWS, "window"), from: str(v.from), to: str(v.to), currency: str(v.currency) });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Pipeline by ${by}, ${model} model, deals created ${r.window.from} to ${r.window.to}: ${r.deals} deal${r.deals === 1 ? "" : "s"}`);
    const rows = [...groupRows(r), { ...r.total, key: "Total" }];
    ctx.out(
      formatTable(rows, [
        { title: by, value: (x) => x.key, max: 40 },
        { title: "Deals", value: (x) => deals(x.deals), align: "right" },
        { title: "Pipeline", value: (x) => moneyText(x.pipeline, r.currency), align: "right" },
        { title: "Won deals", value: (x) => deals(x.won_deals), align: "right" },
        { title: "Won revenue", value: (x) => moneyText(x.won_revenue, r.currency), align: "right" },
      ]),
    );
    if (r.unattributed.deals > 0) ctx.out(`\n${deals(r.unattributed.deals)} deal${r.unattributed.deals === 1 ? "" : "s"} (${moneyText(r.unattributed.pipeline, r.currency)}) had no visit before creation (in the total only).`);
    for (const [code, sum] of Object.entries(r.other_currencies)) ctx.out(`Not converted: ${moneyText(sum, code)} (ask with --currency ${code}).`);
    return EXIT.ok;
  },
};

function stageTable(stages: readonly FunnelStage[]): string {
  return formatTable(stages, [
    { title: "Stage", value: (s) => s.name },
    { title: "Count", value: (s) => int(s.count), align: "right" },
    { title: "Rate", value: (s) => percent(s.rate), align: "right" },
    { title: "Median days", value: (s) => days(s.median_days), align: "right" },
  ]);
}

export const funnelTable: Command = {
  words: ["funnel"],
  summary: "Print visitors → leads → opportunities → customers in the window, with rates and median days",
  options: {
    ...windowOptions,
    by: { type: "string", help: `<${FUNNEL_BYS.join("|")}>  also split by first touch` },
    ...json,
  },
  async run(ctx) {
    const v = ctx.values;
    const r = await ctx.client().funnel({ window: optionalOneOf(str(v.window), WINDOWS, "window"), from: str(v.from), to: str(v.to), by: optionalOneOf(str(v.by), FUNNEL_BYS, "by") });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Funnel, ${r.from} to ${r.to}`);
    ctx.out(stageTable(r.stages));
    for (const g of r.groups ?? []) {
      ctx.out(`\n${r.by} ${g.key}`);
      ctx.out(stageTable(g.stages));
    }
    return EXIT.ok;
  },
};

/** A positive number as typed: 10000000, 1.1e6, 1_100_000 or 1,100,000. */
function amount(value: string | undefined, name: string): string {
  if (value === undefined) throw new UsageError(`--${name} is required, e.g. --${name} 1100000.`);
  const plain = value.replace(/[_,]/g, "");
  if (!/^\d+(\.\d+)?(e\d+)?$/i.test(plain) || !(Number(plain) > 0)) throw new UsageError(`--${name} must be a number above 0 (got ${value}).`);
  return plain;
}

export const planTable: Command = {
  words: ["plan"],
  summary: "Work the funnel backwards from a revenue goal: what each stage needs per period and per month",
  options: {
    revenue: { type: "string", help: "<amount>  the revenue goal per --per" },
    per: { type: "string", help: `<${PLAN_PERIODS.join("|")}>  (default year)` },
    "deal-size": { type: "string", help: "<amount>  the average won deal" },
    stages: { type: "string", help: "<a,b,…>  stage names top to bottom (default visitors,leads,opportunities,customers)" },
    rates: { type: "string", help: "<r,…>  each stage's share of the one above, 0.2 or 20% (default: measured over the last 365 days)" },
    ...json,
  },
  details: ["Example (an annual plan):", "  foothold plan --revenue 10000000 --per year --deal-size 1100000 \\", "    --stages visits,leads,mqls,sqls,opportunities,customers --rates 1.5%,20%,20%,40%,50%"],
  async run(ctx) {
    const v = ctx.values;
    const per = oneOf(str(v.per), PLAN_PERIODS, "per", "year");
    const r = await ctx.client().plan({ revenue: amount(str(v.revenue), "revenue"), per, deal_size: amount(str(v["deal-size"]), "deal-size"), stages: str(v.stages), rates: str(v.rates) });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    const source = r.measured ? `rates measured ${r.measured.from} to ${r.measured.to}` : "rates as given";
    ctx.out(`To win ${int(r.revenue)} a ${per} in deals of ${int(r.deal_size)} (${source}):`);
    ctx.out(
      formatTable(r.stages, [
        { title: "Stage", value: (s) => s.name },
        { title: "Rate", value: (s) => percent(s.rate), align: "right" },
        { title: `Per ${per}`, value: (s) => planned(s.per_period), align: "right" },
        { title: "Per month", value: (s) => planned(s.per_month), align: "right" },
      ]),
    );
    return EXIT.ok;
  },
};

export const customersTable: Command = {
  words: ["customers"],
  summary: "Print customers, new customers and won revenue this period against the last",
  options: {
    period: { type: "string", help: `<${CUSTOMER_PERIODS.join("|")}>  (default quarter)` },
    currency: { type: "string", help: "<USD>  needed when won deals use several currencies" },
    ...json,
  },
  async run(ctx) {
    const period = oneOf(str(ctx.values.period), CUSTOMER_PERIODS, "period", "quarter");
    const r = await ctx.client().customers({ period, currency: str(ctx.values.currency) });
    if (ctx.values.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    const rows = [
      { name: `This ${period} (${r.current.from} to ${r.current.to})`, p: r.current },
      { name: `Last ${period} (${r.previous.from} to ${r.previous.to})`, p: r.previous },
    ];
    ctx.out(
      formatTable(rows, [
        { title: "Period", value: (x) => x.name },
        { title: "Customers", value: (x) => int(x.p.customers), align: "right" },
        { title: "New", value: (x) => int(x.p.new_customers), align: "right" },
        { title: "Won revenue", value: (x) => moneyText(x.p.won_revenue, r.currency), align: "right" },
        { title: "New business", value: (x) => moneyText(x.p.new_business_revenue, r.currency), align: "right" },
        { title: "Expansion", value: (x) => moneyText(x.p.expansion_revenue, r.currency), align: "right" },
        { title: "Per customer", value: (x) => moneyText(x.p.revenue_per_customer, r.currency), align: "right" },
      ]),
    );
    return EXIT.ok;
  },
};
