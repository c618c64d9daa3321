// What the campaigns and content reports both load for a window: its won deals (closed in it)
// and its pipeline (deals created in it) in the report's currency, the touchpoints of their
// accounts over every lookback, and the Markov removal effects when that model is asked for.
// Not pure (it reads D1); the credit itself is credit.ts.
import { journeyOf, markovRemovalEffects } from "../revenue/markov";
import { journeyBeforeClose } from "../revenue/lookback";
import { DAY_MS, DEFAULT_LOOKBACK_DAYS, type Deal, type Journey, type Model, type Touchpoint } from "../revenue/types";
import { type DealRow, wonDealsClosedIn } from "../storage/deals";
import { dealsCreatedIn } from "../storage/marketing";
import { accountTouchpoints, nonConvertingJourneys, type Range } from "../storage/revenue";
import { otherCurrencies, reportCurrency } from "./credit";

export interface DealWindow {
  range: Range;
  currency: string | null;
  /** won deals closed in the window, in `currency` */
  won: Deal[];
  /** deals created in the window (any stage), in `currency` */
  created: Deal[];
  /** won revenue and pipeline in other currencies than `currency`, per currency: not in the rows */
  other: { revenue: Record<string, number>; pipeline: Record<string, number> };
  touchesByAccount: Map<string, Touchpoint[]>;
  effects?: Map<string, number>;
}

/** [from, to) ISO instants of a window of whole UTC days. */
export function rangeOf(window: { from: string; to: string }): Range {
  return { from: `${window.from}T00:00:00.000Z`, to: new Date(Date.parse(`${window.to}T00:00:00Z`) + DAY_MS).toISOString() };
}

export async function loadDealWindow(
  d1: D1Database,
  /** `spendCurrencies`: the currencies of the window's spend, which choose the report's currency too */
  q: {
    window: { from: string; to: string };
    model: Model;
    currency?: string;
    /** whose touchpoints to read: the won deals' accounts, the new deals' accounts, or both */
    touchesFor: "won" | "both";
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

  // One read covers every lookback: each deal's own is cut out of it by the models.
  const pipeline = q.touchesFor === "both" ? created : [];
  const ends = [...won.map((d) => d.closed_at!), ...pipeline.map((d) => d.created_at!)];
  const accountIds = [...new Set([...won, ...pipeline].map((d) => Number(d.account_id)))];
  const lookback: Range = ends.length
    ? { from: new Date(Math.min(...ends) - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString(), to: new Date(Math.max(...ends)).toISOString() }
    : { from: range.from, to: range.from };
  // Without pages: a report that groups by page asks for the pages of the touches the model credits only.
  const touchesByAccount = accountIds.length ? await accountTouchpoints(d1, accountIds, lookback, false) : new Map<string, Touchpoint[]>();

  let effects: Map<string, number> | undefined;
  if (q.model === "markov") {
    // As /v1/revenue: converting journeys are the won deals' lookbacks, every other journey in the window did not convert.
    const converting: Journey[] = won.map((d) => journeyOf(journeyBeforeClose(touchesByAccount.get(d.account_id) ?? [], d).touches, true));
    const wonAccounts = [...new Set(won.map((d) => Number(d.account_id)))];
    effects = markovRemovalEffects([...converting, ...(await nonConvertingJourneys(d1, range, wonAccounts))]);
  }
  return { range, currency, won, created, other, touchesByAccount, effects };
}

function toDeal(d: DealRow): Deal {
  return {
    id: d.id, account_id: String(d.account_id), amount: d.amount, currency: d.currency,
    created_at: d.created_at === null ? null : Date.parse(d.created_at), closed_at: d.closed_at === null ? null : Date.parse(d.closed_at), won: d.won,
  };
}
