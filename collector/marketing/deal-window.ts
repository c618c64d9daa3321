// What the campaigns and content reports both load for a window: its won deals (closed in it)
// and its pipeline (deals created in it) in the report's currency, each deal's touchpoints, and
// the Markov removal effects when that model is asked for. Not pure (it reads D1); the credit
// itself is credit.ts.
//
// Cost: first_touch and last_touch credit one session per deal, so SQL picks that session for
// each deal and only those travel to the Worker (one row per deal instead of every session of
// every deal's account). The other models read every session of the deals' accounts over the
// lookbacks, as /v1/revenue does.
import { journeyOf, markovRemovalEffects } from "../revenue/markov";
import { journeyBeforeClose } from "../revenue/lookback";
import { DAY_MS, DEFAULT_LOOKBACK_DAYS, type Deal, type Journey, type Model, type Touchpoint } from "../revenue/types";
import { type DealRow, wonDealsClosedIn } from "../storage/deals";
import { dealsCreatedIn, singleTouches, type TouchRow } from "../storage/marketing";
import { accountTouchpoints, nonConvertingJourneys, type Range } from "../storage/revenue";
import { type DealEnd, otherCurrencies, reportCurrency, type TouchesOf } from "./credit";

export interface DealWindow {
  range: Range;
  currency: string | null;
  /** won deals closed in the window, in `currency` */
  won: Deal[];
  /** deals created in the window (any stage), in `currency` */
  created: Deal[];
  /** won revenue and pipeline in other currencies than `currency`, per currency: not in the rows */
  other: { revenue: Record<string, number>; pipeline: Record<string, number> };
  /** a deal's touchpoints for its lookback ending at its close or at its creation */
  touchesOf: TouchesOf;
  effects?: Map<string, number>;
}

/** [from, to) ISO instants of a window of whole UTC days. */
export function rangeOf(window: { from: string; to: string }): Range {
  return { from: `${window.from}T00:00:00.000Z`, to: new Date(Date.parse(`${window.to}T00:00:00Z`) + DAY_MS).toISOString() };
}

const SINGLE_TOUCH: Partial<Record<Model, "first" | "last">> = { first_touch: "first", last_touch: "last" };

export async function loadDealWindow(
  d1: D1Database,
  q: {
    window: { from: string; to: string };
    model: Model;
    currency?: string;
    /** whose touchpoints to read: the won deals' only, or the new deals' (pipeline) too */
    touchesFor: "won" | "both";
    /** the currencies of the window's spend, which choose the report's currency too */
    spendCurrencies?: string[];
  },
): Promise<DealWindow> {
  const range = rangeOf(q.window);
  const [wonRows, createdRows] = await Promise.all([wonDealsClosedIn(d1, range.from, range.to), dealsCreatedIn(d1, range)]);
  const currency = reportCurrency([...[...wonRows, ...createdRows].map((d) => d.currency), ...(q.spendCurrencies ?? [])], q.currency);
  const inCurrency = (rows: DealRow[]) => rows.filter((d) => d.currency.toUpperCase() === currency).map(toDeal);
  const won = inCurrency(wonRows);
  const created = inCurrency(createdRows);
  const other = { revenue: otherCurrencies(wonRows, currency), pipeline: otherCurrencies(createdRows, currency) };
  const pipeline = q.touchesFor === "both" ? created : [];

  const single = SINGLE_TOUCH[q.model];
  if (single) {
    const asOf = (deals: Deal[], end: DealEnd) => deals.map((d) => ({ key: `${end}:${d.id}`, account_id: Number(d.account_id), end: new Date(end === "closed" ? d.closed_at! : d.created_at!).toISOString() }));
    const picked = await singleTouches(d1, [...asOf(won, "closed"), ...asOf(pipeline, "created")], DEFAULT_LOOKBACK_DAYS, single);
    const touches = new Map([...picked].map(([key, row]) => [key, [touchOf(row)]]));
    return { range, currency, won, created, other, touchesOf: (deal, end) => touches.get(`${end}:${deal.id}`) ?? [] };
  }

  // One read covers every lookback: each deal's own is cut out of it by the models.
  const ends = [...won.map((d) => d.closed_at!), ...pipeline.map((d) => d.created_at!)];
  const accountIds = [...new Set([...won, ...pipeline].map((d) => Number(d.account_id)))];
  const lookback: Range = ends.length
    ? { from: new Date(Math.min(...ends) - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString(), to: new Date(Math.max(...ends)).toISOString() }
    : { from: range.from, to: range.from };
  // Without pages: a report that groups by page asks for the pages of the touches the model credits only.
  const byAccount = accountIds.length ? await accountTouchpoints(d1, accountIds, lookback, false) : new Map<string, Touchpoint[]>();
  const touchesOf: TouchesOf = (deal) => byAccount.get(deal.account_id) ?? [];

  let effects: Map<string, number> | undefined;
  if (q.model === "markov") {
    // As /v1/revenue: converting journeys are the won deals' lookbacks, every other journey in the window did not convert.
    const converting: Journey[] = won.map((d) => journeyOf(journeyBeforeClose(touchesOf(d, "closed"), d).touches, true));
    const wonAccounts = [...new Set(won.map((d) => Number(d.account_id)))];
    effects = markovRemovalEffects([...converting, ...(await nonConvertingJourneys(d1, range, wonAccounts))]);
  }
  return { range, currency, won, created, other, touchesOf, effects };
}

const touchOf = (r: TouchRow): Touchpoint => ({
  visitor_id: r.anonymous_id, session_id: String(r.id), at: Date.parse(r.started_at), channel: r.channel, source: r.source,
  medium: r.medium, campaign: r.campaign, landing_page: r.landing_page, pages: [], lead: false,
});

function toDeal(d: DealRow): Deal {
  return {
    id: d.id, account_id: String(d.account_id), amount: d.amount, currency: d.currency,
    created_at: d.created_at === null ? null : Date.parse(d.created_at), closed_at: d.closed_at === null ? null : Date.parse(d.closed_at), won: d.won,
  };
}
