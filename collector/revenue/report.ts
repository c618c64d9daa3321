// GET /v1/revenue: loads what the window needs from storage and hands it to the pure models.
// Not pure itself (it reads D1); everything it computes is in the files next to it.
//
// Cost: won deals through (won, closed_at); their accounts' sessions through the visitor and
// session indexes; traffic and the Markov paths as SQL aggregates, so the window's sessions
// never travel to the Worker one by one.
import { type DealRow, wonDealsClosedIn } from "../storage/deals";
import { accountSegments, accountTouchpoints, nonConvertingJourneys, type Range, trafficByGroup } from "../storage/revenue";
import { SPEND_DIMENSIONS, type SpendDimension, spendSums } from "../storage/spend";
import { groupKeys, type GroupBy } from "./groups";
import { journeyMedians, type JourneyMedians } from "./journeys";
import { journeyBeforeClose } from "./lookback";
import { journeyOf, markovRemovalEffects } from "./markov";
import { type ReturnColumns, spendInCurrency, spendReturns } from "./returns";
import { revenueByGroup, type RevenueRow } from "./rpv";
import { DAY_MS, DEFAULT_LOOKBACK_DAYS, type Deal, type Journey, type Model } from "./types";

export interface RevenueQuery {
  by: GroupBy;
  model: Model;
  /** first and last day, YYYY-MM-DD, inclusive (UTC) */
  window: { from: string; to: string };
  currency?: string;
}

export interface RevenueAnswer {
  by: GroupBy;
  model: Model;
  window: { from: string; to: string };
  currency: string | null;
  lookback_days: number;
  /** the groups, revenue desc; the last row (key "total") is the total. Groups with spend gain its return columns. */
  rows: (RevenueRow & Partial<ReturnColumns>)[];
  /** with the window's whole spend, and the journey medians of its won deals */
  total: RevenueRow & Partial<ReturnColumns> & JourneyMedians;
  /** won revenue of deals whose account had no touchpoint in the lookback (part of the total) */
  unattributed: number;
  /** won revenue in other currencies than `currency`, not converted and not in the rows */
  other_currencies: Record<string, number>;
  /** spend in other currencies than `currency`, not converted and not in the rows (only when there is some) */
  other_currency_spend?: Record<string, number>;
  deals: number;
  /** markov only: each channel's share of credit over all journeys */
  removal_effects?: Record<string, number>;
}

export async function revenueReport(d1: D1Database, q: RevenueQuery): Promise<RevenueAnswer> {
  const range: Range = { from: `${q.window.from}T00:00:00.000Z`, to: new Date(Date.parse(`${q.window.to}T00:00:00Z`) + DAY_MS).toISOString() };
  const won = await wonDealsClosedIn(d1, range.from, range.to);
  const deals = won.map(toDeal);
  const accountIds = [...new Set(won.map((d) => d.account_id))];
  const closes = deals.map((d) => d.closed_at!);
  const first = closes.reduce((a, b) => Math.min(a, b), Infinity);
  const last = closes.reduce((a, b) => Math.max(a, b), -Infinity);
  // One read covers every deal's lookback; the models cut each deal's own out of it.
  const lookback: Range = closes.length
    ? { from: new Date(first - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString(), to: new Date(last).toISOString() }
    : { from: range.from, to: range.from };

  // Spend has no page or segment: those groupings get only the total row's spend.
  const spendBy: SpendDimension = (SPEND_DIMENSIONS as readonly string[]).includes(q.by) ? (q.by as SpendDimension) : "channel";
  const [touchesByAccount, traffic, segments, spent] = await Promise.all([
    accountTouchpoints(d1, accountIds, lookback, q.by === "page"),
    trafficByGroup(d1, q.by, range),
    q.by === "account_segment" ? accountSegments(d1, accountIds) : Promise.resolve(new Map<string, string | null>()),
    spendSums(d1, spendBy, q.window.from, q.window.to),
  ]);

  let effects: Map<string, number> | undefined;
  if (q.model === "markov") {
    // Converting journeys are the deals' own lookbacks; every other journey in the window did not convert.
    const converting: Journey[] = deals.map((d) => journeyOf(journeyBeforeClose(touchesByAccount.get(d.account_id) ?? [], d).touches, true));
    effects = markovRemovalEffects([...converting, ...(await nonConvertingJourneys(d1, range, accountIds))]);
  }

  const report = revenueByGroup({
    deals,
    touchesByAccount,
    model: q.model,
    keysOf: groupKeys(q.by, (id) => segments.get(id) ?? null),
    traffic,
    window: { from: Date.parse(range.from), to: Date.parse(range.to) },
    currency: q.currency,
    effects,
  });

  const spend = spendInCurrency(spent, report.currency);
  const byKey = spendBy === q.by ? spend.byKey : new Map();
  const rows = report.rows.map((r) => ({ ...rounded(r), ...spendReturns(r, byKey.get(r.key)) }));
  const total = { ...rounded(report.total), ...spendReturns(report.total, spend.total), ...journeyMedians(deals, touchesByAccount) };
  const inCurrency = report.currency === null ? 0 : won.filter((d) => d.currency === report.currency).length;
  return {
    by: q.by,
    model: q.model,
    window: q.window,
    currency: spend.currency,
    lookback_days: DEFAULT_LOOKBACK_DAYS,
    rows: [...rows, total],
    total,
    unattributed: cents(report.unattributed),
    other_currencies: Object.fromEntries(Object.entries(report.other_currencies).map(([k, v]) => [k, cents(v)])),
    ...(Object.keys(spend.other).length ? { other_currency_spend: spend.other } : {}),
    deals: inCurrency,
    ...(effects ? { removal_effects: Object.fromEntries([...effects].map(([k, v]) => [k, Math.round(v * 1e6) / 1e6])) } : {}),
  };
}

function toDeal(d: DealRow): Deal {
  return {
    id: d.id,
    account_id: String(d.account_id),
    amount: d.amount,
    currency: d.currency,
    created_at: d.created_at === null ? null : Date.parse(d.created_at),
    closed_at: d.closed_at === null ? null : Date.parse(d.closed_at),
    won: d.won,
  };
}

/** Money is shown in cents; sums are computed unrounded, so rows may differ from the total by a cent. */
const cents = (v: number) => Math.round(v * 100) / 100;
const rounded = (r: RevenueRow): RevenueRow => ({
  ...r,
  revenue: cents(r.revenue),
  revenue_per_visitor: r.revenue_per_visitor === null ? null : cents(r.revenue_per_visitor),
});
