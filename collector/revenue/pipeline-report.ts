// GET /v1/pipeline: deals created in the window, their accounts' touchpoints in the lookback
// before creation, and the pure pipeline per group (pipeline.ts). Not pure itself.
//
// Cost: deals through deals_created; their accounts' sessions through the visitor and session
// indexes (one read covering every deal's lookback); Markov's other journeys as an SQL aggregate.
//
// Extra columns: a row is the five pipeline figures plus whatever `columns` add for its key, so a
// later source (spend per channel/campaign: spend, clicks, cost_per_opportunity …) joins the rows
// without this file changing — pass it to pipelineReport and declare its fields on the row schema.
import { dealsCreatedIn, type DealRow } from "../storage/deals";
import { accountSegments, accountTouchpoints, nonConvertingJourneys, type Range } from "../storage/revenue";
import { countsAsWon } from "./deal-type";
import { groupKeys, type GroupBy } from "./groups";
import { journeyBeforeClose } from "./lookback";
import { journeyOf, markovRemovalEffects } from "./markov";
import { atCreation, type PipelineDeal, pipelineByGroup, type PipelineRow } from "./pipeline";
import { daySpan } from "./span";
import { DAY_MS, DEFAULT_LOOKBACK_DAYS, type Journey, type Model } from "./types";

export interface PipelineQuery {
  by: GroupBy;
  model: Model;
  /** first and last day, YYYY-MM-DD, inclusive (UTC) */
  window: { from: string; to: string };
  currency?: string;
  now: Date;
}

/** Values other sources add to rows, by row key ("total" for the total row). */
export type ExtraColumns = ReadonlyMap<string, Readonly<Record<string, number | null>>>;

/** A source of extra columns, given the report's query, its currency and its rows (rounded). */
export type PipelineColumns = (
  d1: D1Database,
  report: { query: PipelineQuery; currency: string | null; rows: readonly PipelineRow[] },
) => Promise<ExtraColumns>;

export type PipelineAnswerRow = PipelineRow & Record<string, number | string | null>;

export interface PipelineAnswer {
  by: GroupBy;
  model: Model;
  window: { from: string; to: string };
  currency: string | null;
  lookback_days: number;
  /** the groups, pipeline desc; the last row (key "total") is the total */
  rows: PipelineAnswerRow[];
  total: PipelineAnswerRow;
  unattributed: Omit<PipelineRow, "key">;
  other_currencies: Record<string, number>;
  /** deals created in the window in the report's currency */
  deals: number;
  removal_effects?: Record<string, number>;
}

export async function pipelineReport(d1: D1Database, q: PipelineQuery, columns: readonly PipelineColumns[] = []): Promise<PipelineAnswer> {
  const span = daySpan(q.window);
  const now = q.now.getTime();
  const created = await dealsCreatedIn(d1, span.from, span.to);
  const deals = created.map((d) => toDeal(d, now));
  const accountIds = [...new Set(created.map((d) => d.account_id))];
  const times = deals.map((d) => d.created_at!);
  const lookback: Range = times.length
    ? { from: new Date(Math.min(...times) - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString(), to: new Date(Math.max(...times)).toISOString() }
    : { from: span.from, to: span.from };

  const [touchesByAccount, segments] = await Promise.all([
    accountTouchpoints(d1, accountIds, lookback, q.by === "page"),
    q.by === "account_segment" ? accountSegments(d1, accountIds) : Promise.resolve(new Map<string, string | null>()),
  ]);

  let effects: Map<string, number> | undefined;
  if (q.model === "markov") {
    // Converting journeys: each deal's touches up to its creation; every other journey in the window did not convert.
    const converting: Journey[] = deals.map((d) => journeyOf(journeyBeforeClose(touchesByAccount.get(d.account_id) ?? [], atCreation(d)).touches, true));
    effects = markovRemovalEffects([...converting, ...(await nonConvertingJourneys(d1, span, accountIds))]);
  }

  const report = pipelineByGroup({
    deals,
    touchesByAccount,
    model: q.model,
    keysOf: groupKeys(q.by, (id) => segments.get(id) ?? null),
    currency: q.currency,
    effects,
  });

  const rows = report.rows.map(rounded);
  const total = rounded(report.total);
  const extras = await Promise.all(columns.map((source) => source(d1, { query: q, currency: report.currency, rows: [...rows, total] })));
  const withExtras = (r: PipelineRow): PipelineAnswerRow => Object.assign({}, r, ...extras.map((e) => e.get(r.key) ?? {}));
  const { key: _k, ...unattributed } = rounded({ key: "", ...report.unattributed });
  return {
    by: q.by,
    model: q.model,
    window: q.window,
    currency: report.currency,
    lookback_days: DEFAULT_LOOKBACK_DAYS,
    rows: [...rows.map(withExtras), withExtras(total)],
    total: withExtras(total),
    unattributed,
    other_currencies: Object.fromEntries(Object.entries(report.other_currencies).map(([k, v]) => [k, cents(v)])),
    deals: report.currency === null ? 0 : created.filter((d) => d.currency.toUpperCase() === report.currency).length,
    ...(effects ? { removal_effects: Object.fromEntries([...effects].map(([k, v]) => [k, Math.round(v * 1e6) / 1e6])) } : {}),
  };
}

function toDeal(d: DealRow, now: number): PipelineDeal {
  const closed = d.closed_at === null ? null : Date.parse(d.closed_at);
  return {
    id: d.id,
    account_id: String(d.account_id),
    amount: d.amount,
    currency: d.currency,
    created_at: d.created_at === null ? null : Date.parse(d.created_at),
    closed_at: closed,
    won: d.won,
    won_by_now: countsAsWon({ won: d.won, closed_at: closed }, now),
  };
}

/** Money in cents, attributed deal counts to 4 decimals; sums are computed unrounded. */
const cents = (v: number) => Math.round(v * 100) / 100;
const count = (v: number) => Math.round(v * 1e4) / 1e4;
const rounded = (r: PipelineRow): PipelineRow => ({ key: r.key, deals: count(r.deals), pipeline: cents(r.pipeline), won_deals: count(r.won_deals), won_revenue: cents(r.won_revenue) });
