// The tables people print: top accounts, revenue per visitor, coverage.
import { groupRows } from "../client/client";
import { GROUP_BYS, MODELS, PERIODS, SORTS, WINDOWS } from "../client/enums";
import { type Command, EXIT, oneOf, optionalOneOf, positiveInt, str } from "../command";
import { fixed, formatTable, int, moneyText } from "../table";

const windowOptions = {
  window: { type: "string" as const, help: "<7d|30d|90d>  days ending today, UTC (default 30d)" },
  from: { type: "string" as const, help: "<YYYY-MM-DD>  first day instead of --window" },
  to: { type: "string" as const, help: "<YYYY-MM-DD>  last day (default today)" },
};
const json = { json: { type: "boolean" as const, help: "print the API's JSON instead of a table" } };

export const accountsTop: Command = {
  words: ["accounts"],
  summary: "Print the top accounts by engagement score",
  options: {
    ...windowOptions,
    segment: { type: "string", help: "<segment>  only accounts of this segment, e.g. target" },
    sort: { type: "string", help: `<${SORTS.join("|")}>  ranking (default score)` },
    limit: { type: "string", short: "n", help: "<n>  rows (default 20, at most 500)" },
    cursor: { type: "string", help: "<cursor>  the next page, as printed under the table" },
    ...json,
  },
  async run(ctx) {
    const v = ctx.values;
    const page = await ctx.client().accounts.list({
      window: optionalOneOf(str(v.window), WINDOWS, "window"),
      from: str(v.from),
      to: str(v.to),
      segment: str(v.segment),
      sort: oneOf(str(v.sort), SORTS, "sort", "score"),
      limit: positiveInt(str(v.limit), "limit", 20, 500),
      cursor: str(v.cursor),
    });
    if (v.json) {
      ctx.out(JSON.stringify(page, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Top accounts, ${page.window.from} to ${page.window.to}${str(v.segment) ? `, segment ${str(v.segment)}` : ""}`);
    if (page.accounts.length === 0) {
      ctx.out("No engaged accounts in this window.");
      return EXIT.ok;
    }
    ctx.out(
      formatTable(page.accounts, [
        { title: "Account", value: (a) => a.name ?? a.domain, max: 28 },
        { title: "Domain", value: (a) => a.domain, max: 32 },
        { title: "Segment", value: (a) => a.segment ?? "" },
        { title: "Score", value: (a) => fixed(a.score, 1), align: "right" },
        { title: "Visitors", value: (a) => int(a.visitors), align: "right" },
        { title: "People", value: (a) => int(a.people), align: "right" },
        { title: "Sessions", value: (a) => int(a.sessions), align: "right" },
        { title: "Views", value: (a) => int(a.pageviews), align: "right" },
        { title: "Forms", value: (a) => int(a.form_submits), align: "right" },
        { title: "Engaged", value: (a) => `${int(Math.round(a.engaged_seconds / 60))}m`, align: "right" },
        { title: "Surging", value: (a) => (a.surging ? "yes" : "") },
      ]),
    );
    if (page.next_cursor) ctx.out(`\nMore: foothold accounts --cursor ${page.next_cursor}${str(v.segment) ? ` --segment ${str(v.segment)}` : ""}`);
    return EXIT.ok;
  },
};

export const revenueTable: Command = {
  words: ["revenue"],
  summary: "Print revenue per visitor by channel (or another dimension) under an attribution model",
  options: {
    by: { type: "string", help: `<${GROUP_BYS.join("|")}>  (default channel)` },
    model: { type: "string", help: `<${MODELS.join("|")}>  (default linear)` },
    ...windowOptions,
    currency: { type: "string", help: "<USD>  needed when won deals use several currencies" },
    ...json,
  },
  async run(ctx) {
    const v = ctx.values;
    const by = oneOf(str(v.by), GROUP_BYS, "by", "channel");
    const model = oneOf(str(v.model), MODELS, "model", "linear");
    const r = await ctx.client().revenue({ by, model, window: optionalOneOf(str(v.window), WINDOWS, "window"), from: str(v.from), to: str(v.to), currency: str(v.currency) });
    if (v.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Revenue per visitor by ${by}, ${model} model, ${r.window.from} to ${r.window.to}: ${r.deals} won deal${r.deals === 1 ? "" : "s"}`);
    const rows = [...groupRows(r), { ...r.total, key: "Total" }];
    ctx.out(
      formatTable(rows, [
        { title: by, value: (x) => x.key, max: 40 },
        { title: "Visitors", value: (x) => int(x.visitors), align: "right" },
        { title: "Sessions", value: (x) => int(x.sessions), align: "right" },
        { title: "Revenue", value: (x) => moneyText(x.revenue, r.currency), align: "right" },
        { title: "Per visitor", value: (x) => moneyText(x.revenue_per_visitor, r.currency), align: "right" },
      ]),
    );
    if (r.unattributed > 0) ctx.out(`\n${moneyText(r.unattributed, r.currency)} came from deals with no visit in the lookback (in the total only).`);
    for (const [code, sum] of Object.entries(r.other_currencies)) ctx.out(`Not converted: ${moneyText(sum, code)} (ask with --currency ${code}).`);
    return EXIT.ok;
  },
};

export const coverageReport: Command = {
  words: ["coverage"],
  summary: "Print the share of a segment's accounts engaged this period and the one before",
  options: {
    segment: { type: "string", help: "<segment>  (default target)" },
    period: { type: "string", help: "<week|month|quarter>  (default quarter)" },
    ...json,
  },
  async run(ctx) {
    const period = oneOf(str(ctx.values.period), PERIODS, "period", "quarter");
    const r = await ctx.client().coverage({ segment: str(ctx.values.segment), period });
    if (ctx.values.json) {
      ctx.out(JSON.stringify(r, null, 2));
      return EXIT.ok;
    }
    const line = (name: string, p: typeof r.current) => `${name} (${p.from} to ${p.to}): ${(p.share * 100).toFixed(1)}%, ${p.engaged} of ${p.accounts} accounts engaged`;
    ctx.out(`Coverage of segment ${r.segment}`);
    ctx.out(line(`This ${period}`, r.current));
    ctx.out(line(`Last ${period}`, r.previous));
    return EXIT.ok;
  },
};
