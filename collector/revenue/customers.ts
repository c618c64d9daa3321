// Customers this period against the one before (SPEC §10 GET /v1/customers): how many accounts
// are customers, how many became one, won revenue split new business / expansion, and revenue
// per customer. Pure: storage hands in the won history (every deal won by now).
//
// - customers: accounts with a won deal closed by the period's end (cumulative).
// - new_customers: accounts whose first won deal closed in the period.
// - new_business_revenue / expansion_revenue: won revenue in the period by deal type
//   (deal-type.ts: as imported, else the account's first win is new business, later ones expansion).
// - revenue_per_customer: won revenue in the period ÷ distinct accounts that won in it.

import { type DealType, dealType, firstWins } from "./deal-type";
import { MixedCurrenciesError } from "./rpv";

export const CUSTOMER_PERIODS = ["month", "quarter", "year"] as const;
export type CustomerPeriod = (typeof CUSTOMER_PERIODS)[number];

/** [from, to) as epoch ms (UTC midnights). */
export interface PeriodRange {
  from: number;
  to: number;
}

export interface WonDeal {
  id: string;
  account_id: string;
  amount: number;
  currency: string;
  created_at: number | null;
  /** epoch ms, not after now */
  closed_at: number;
  type: DealType | null;
}

export interface CustomersPeriod {
  customers: number;
  new_customers: number;
  won_revenue: number;
  new_business_revenue: number;
  expansion_revenue: number;
  /** null when no account won in the period */
  revenue_per_customer: number | null;
  /** won revenue in the period in other currencies, by currency (not in the figures above) */
  other_currencies: Record<string, number>;
}

/**
 * The UTC calendar period holding asOf and the one before: months, quarters starting in
 * January, April, July and October, years. The current period is the whole calendar period.
 */
export function periodRanges(period: CustomerPeriod, asOf: Date): { current: PeriodRange; previous: PeriodRange } {
  const y = asOf.getUTCFullYear();
  const months = period === "month" ? 1 : period === "quarter" ? 3 : 12;
  const m = asOf.getUTCMonth();
  const start = m - (m % months);
  // Date.UTC rolls month −3 or 12 over into the neighbouring year.
  const at = (offset: number) => Date.UTC(y, start + offset, 1);
  return { current: { from: at(0), to: at(months) }, previous: { from: at(-months), to: at(0) } };
}

export class MixedCustomerCurrenciesError extends MixedCurrenciesError {
  constructor(currencies: string[]) {
    super(currencies);
    this.message = `Deals won in these periods are in several currencies (${currencies.join(", ")}); choose one with currency=.`;
  }
}

/** The currency of a report over these periods: the one asked, or the only one won in them. */
export function customersCurrency(won: readonly WonDeal[], ranges: readonly PeriodRange[], asked?: string): string | null {
  if (asked) return asked.toUpperCase();
  const seen = [...new Set(won.filter((d) => ranges.some((r) => inRange(d.closed_at, r))).map((d) => d.currency.toUpperCase()))].sort();
  if (seen.length > 1) throw new MixedCustomerCurrenciesError(seen);
  return seen[0] ?? null;
}

/** One period's figures from the whole won history (every deal won by `now`). */
export function customersIn(won: readonly WonDeal[], range: PeriodRange, currency: string | null, now: number): CustomersPeriod {
  const firsts = firstWins(won.map((d) => ({ ...d, won: true })), now);
  const customers = new Set<string>();
  const winners = new Set<string>();
  let newCustomers = 0;
  for (const [, first] of firsts) if (inRange(first.closed_at, range)) newCustomers++;
  const out: CustomersPeriod = { customers: 0, new_customers: newCustomers, won_revenue: 0, new_business_revenue: 0, expansion_revenue: 0, revenue_per_customer: null, other_currencies: {} };
  for (const d of won) {
    if (d.closed_at < range.to) customers.add(d.account_id);
    if (!inRange(d.closed_at, range)) continue;
    const code = d.currency.toUpperCase();
    if (code !== currency) {
      out.other_currencies[code] = (out.other_currencies[code] ?? 0) + d.amount;
      continue;
    }
    winners.add(d.account_id);
    out.won_revenue += d.amount;
    const type = dealType({ ...d, won: true }, firsts.get(d.account_id) ?? null, now);
    if (type === "new_business") out.new_business_revenue += d.amount;
    else out.expansion_revenue += d.amount;
  }
  out.customers = customers.size;
  out.revenue_per_customer = winners.size > 0 ? out.won_revenue / winners.size : null;
  return out;
}

const inRange = (at: number, r: PeriodRange) => at >= r.from && at < r.to;
