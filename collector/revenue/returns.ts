// Return on ad spend (SPEC §10): the columns a report row gains when its key has spend. Pure, so
// every report with spend — /v1/revenue, /v1/pipeline, /v1/campaigns — shares one set of rules.
//
// Currencies are never mixed: spend counts only in the report's currency (the won deals', or the
// one asked for); spend in other currencies is summed aside per currency, never converted.
import { MixedCurrenciesError } from "./rpv";

/** A group's spend in the report's currency over the window. */
export interface Spend {
  spend: number;
  clicks: number;
}

/** What the return columns divide: a row of any report. */
export interface ReturnInput {
  /** won revenue credited to the row (revenue report, campaigns) or its won_revenue (pipeline) */
  revenue: number;
  /** unique visitors of the row, when the report counts them */
  visitors?: number | null;
  /** opportunities (deals created) credited to the row: pipeline rows give their `deals` */
  opportunities?: number | null;
}

export interface ReturnColumns {
  spend: number;
  clicks: number;
  /** revenue ÷ spend; 0 for spend without revenue, null when the spend is 0 */
  roas: number | null;
  /** spend ÷ visitors; null without visitors */
  cost_per_visitor: number | null;
  /** revenue ÷ clicks; null without clicks */
  revenue_per_click: number | null;
  /** spend ÷ opportunities: only when the input has opportunities (pipeline) */
  cost_per_opportunity?: number | null;
}

/**
 * The return columns of one row, or null when the row has no spend (a group without spend stays
 * as it is). Money is rounded to cents and ROAS to 4 decimals, after dividing unrounded values.
 */
export function spendReturns(row: ReturnInput, spend: Spend | null | undefined): ReturnColumns | null {
  if (!spend) return null;
  const out: ReturnColumns = {
    spend: cents(spend.spend),
    clicks: spend.clicks,
    roas: spend.spend > 0 ? round4(row.revenue / spend.spend) : null,
    cost_per_visitor: row.visitors ? cents(spend.spend / row.visitors) : null,
    revenue_per_click: spend.clicks > 0 ? cents(row.revenue / spend.clicks) : null,
  };
  if (row.opportunities !== undefined) out.cost_per_opportunity = row.opportunities ? cents(spend.spend / row.opportunities) : null;
  return out;
}

/** Spend summed per key and currency, as storage answers it ("" = the row has no value there). */
export interface SpendByCurrency {
  key: string;
  currency: string;
  amount: number;
  clicks: number;
}

export interface SpendInCurrency {
  /** the report's currency: the one given, else the only one the spend uses; null without spend */
  currency: string | null;
  /** spend per key in that currency (keys without a value left out) */
  byKey: Map<string, Spend>;
  /** all of it, rows without a value for the key included; null without spend */
  total: Spend | null;
  /** spend in other currencies, per currency: not in the rows */
  other: Record<string, number>;
}

export class MixedSpendCurrenciesError extends MixedCurrenciesError {
  constructor(currencies: string[]) {
    super(currencies);
    this.message = `Spend in this window is in several currencies (${currencies.join(", ")}); choose one with currency=.`;
  }
}

/**
 * The spend of a report in one currency. `currency` is the report's (null: its deals chose none);
 * then the spend's own currency is used, and several of them throw MixedSpendCurrenciesError.
 */
export function spendInCurrency(sums: readonly SpendByCurrency[], currency: string | null): SpendInCurrency {
  let code = currency?.toUpperCase() ?? null;
  if (code === null) {
    const seen = [...new Set(sums.map((s) => s.currency.toUpperCase()))].sort();
    if (seen.length > 1) throw new MixedSpendCurrenciesError(seen);
    code = seen[0] ?? null;
  }
  const byKey = new Map<string, Spend>();
  const other: Record<string, number> = {};
  const total: Spend = { spend: 0, clicks: 0 };
  let any = false;
  for (const s of sums) {
    const c = s.currency.toUpperCase();
    if (c !== code) {
      other[c] = cents((other[c] ?? 0) + s.amount);
      continue;
    }
    any = true;
    total.spend += s.amount;
    total.clicks += s.clicks;
    if (s.key === "") continue;
    const had = byKey.get(s.key);
    byKey.set(s.key, { spend: (had?.spend ?? 0) + s.amount, clicks: (had?.clicks ?? 0) + s.clicks });
  }
  return { currency: any ? code : currency, byKey, total: any ? total : null, other };
}

const cents = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
