// The marketing tables: campaigns (spend against pipeline and revenue) and content (pages by the
// revenue they influenced).
import { CONTENT_SORTS, MODELS, WINDOWS } from "../client/enums";
import { type Command, EXIT, oneOf, optionalOneOf, positiveInt, str } from "../command";
import { fixed, formatTable, int, moneyText } from "../table";

const windowOptions = {
  window: { type: "string" as const, help: "<7d|30d|90d>  days ending today, UTC (default 30d)" },
  from: { type: "string" as const, help: "<YYYY-MM-DD>  first day instead of --window" },
  to: { type: "string" as const, help: "<YYYY-MM-DD>  last day (default today)" },
};
const common = {
  model: { type: "string" as const, help: `<${MODELS.join("|")}>  attribution model (default first_touch)` },
  currency: { type: "string" as const, help: "<USD>  needed when deals or spend use several currencies" },
  json: { type: "boolean" as const, help: "print the API's JSON instead of a table" },
};
const ratio = (n: number | null) => (n === null ? "—" : fixed(n, 2));

export const campaignsTable: Command = {
  words: ["campaigns"],
  summary: "Print each UTM campaign's spend, engaged accounts, pipeline, revenue and ROAS",
  options: { ...windowOptions, segment: { type: "string", help: "<segment>  count engaged accounts of this segment only, e.g. target" }, ...common },
  async run(ctx) {
    const v = ctx.values;
    const r = await ctx.client().campaigns({
      window: optionalOneOf(str(v.window), WINDOWS, "window"), from: str(v.from), to: str(v.to), segment: str(v.segment),
      model: oneOf(str(v.model), MODELS, "model", "first_touch"), currency: str(v.currency),
    });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Campaigns, ${r.model} model, ${r.window.from} to ${r.window.to}${r.segment ? `, engaged ${r.segment} accounts` : ""}`);
    if (r.rows.length === 0) {
      ctx.out("No campaign sessions, spend or deals in this window. Import spend with foothold import spend spend.csv.");
      return EXIT.ok;
    }
    const money = (n: number | null) => moneyText(n, r.currency);
    ctx.out(
      formatTable(r.rows, [
        { title: "Campaign", value: (x) => x.key, max: 32 },
        { title: "Source", value: (x) => [x.source, x.medium].filter(Boolean).join(" / "), max: 24 },
        { title: "Spend", value: (x) => money(x.spend), align: "right" },
        { title: "Visitors", value: (x) => int(x.visitors), align: "right" },
        { title: "Engaged", value: (x) => int(x.engaged_accounts), align: "right" },
        { title: "New", value: (x) => int(x.new_engaged_accounts), align: "right" },
        { title: "Per engaged", value: (x) => money(x.cost_per_engaged_account), align: "right" },
        { title: "Pipeline", value: (x) => money(x.pipeline), align: "right" },
        { title: "Revenue", value: (x) => money(x.revenue), align: "right" },
        { title: "ROAS", value: (x) => ratio(x.roas), align: "right" },
      ]),
    );
    ctx.out(`\nTotal: ${money(r.totals.spend)} spent, ${money(r.totals.pipeline)} pipeline, ${money(r.totals.revenue)} revenue, ROAS ${ratio(r.totals.roas)}.`);
    for (const [code, sum] of Object.entries(r.other_currencies.spend)) ctx.out(`Spend not converted: ${moneyText(sum, code)} (ask with --currency ${code}).`);
    return EXIT.ok;
  },
};

export const contentTable: Command = {
  words: ["content"],
  summary: "Print pages ranked by the revenue of the won deals whose accounts viewed them",
  options: {
    ...windowOptions,
    sort: { type: "string", help: `<${CONTENT_SORTS.join("|")}>  ranking (default influenced_revenue)` },
    limit: { type: "string", short: "n", help: "<n>  rows (default 20, at most 500)" },
    cursor: { type: "string", help: "<cursor>  the next page, as printed under the table" },
    ...common,
  },
  async run(ctx) {
    const v = ctx.values;
    const r = await ctx.client().content({
      window: optionalOneOf(str(v.window), WINDOWS, "window"), from: str(v.from), to: str(v.to),
      model: oneOf(str(v.model), MODELS, "model", "first_touch"), sort: oneOf(str(v.sort), CONTENT_SORTS, "sort", "influenced_revenue"),
      limit: positiveInt(str(v.limit), "limit", 20, 500), cursor: str(v.cursor), currency: str(v.currency),
    });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Content by ${r.sort.replace(/_/g, " ")}, ${r.window.from} to ${r.window.to} (${r.model} model for attributed revenue)`);
    if (r.rows.length === 0) {
      ctx.out("No page views or deals in this window.");
      return EXIT.ok;
    }
    const money = (n: number) => moneyText(n, r.currency);
    ctx.out(
      formatTable(r.rows, [
        { title: "Page", value: (x) => x.key, max: 48 },
        { title: "Visitors", value: (x) => int(x.visitors), align: "right" },
        { title: "Views", value: (x) => int(x.views), align: "right" },
        { title: "Deals", value: (x) => int(x.influenced_deals), align: "right" },
        { title: "Influenced", value: (x) => money(x.influenced_revenue), align: "right" },
        { title: "Attributed", value: (x) => money(x.attributed_revenue), align: "right" },
        { title: "Pipeline", value: (x) => money(x.influenced_pipeline), align: "right" },
      ]),
    );
    if (r.next_cursor) ctx.out(`\nMore: foothold content --cursor ${r.next_cursor}${str(v.sort) ? ` --sort ${str(v.sort)}` : ""}`);
    return EXIT.ok;
  },
};
