// GET /v1/customers: this period against the one before, from the won history (every deal won
// by now, through deals_won_closed) and the pure figures of customers.ts.
import { wonDealsUntil } from "../storage/deals";
import { type CustomerPeriod, customersCurrency, customersIn, type CustomersPeriod, periodRanges, type PeriodRange, type WonDeal } from "./customers";
import { parseDealType } from "./deal-type";
import { DAY_MS } from "./types";

export interface CustomersQuery {
  period: CustomerPeriod;
  currency?: string;
  now: Date;
}

export type PeriodAnswer = { from: string; to: string } & CustomersPeriod;

export interface CustomersAnswer {
  period: CustomerPeriod;
  currency: string | null;
  current: PeriodAnswer;
  previous: PeriodAnswer;
}

export async function customersReport(d1: D1Database, q: CustomersQuery): Promise<CustomersAnswer> {
  const rows = await wonDealsUntil(d1, q.now.toISOString());
  const won: WonDeal[] = rows.map((d) => ({
    id: d.id, account_id: String(d.account_id), amount: d.amount, currency: d.currency,
    created_at: d.created_at === null ? null : Date.parse(d.created_at), closed_at: Date.parse(d.closed_at!), type: parseDealType(d.type) ?? null,
  }));
  const { current, previous } = periodRanges(q.period, q.now);
  const currency = customersCurrency(won, [current, previous], q.currency);
  const now = q.now.getTime();
  const answer = (r: PeriodRange): PeriodAnswer => {
    const p = customersIn(won, r, currency, now);
    return {
      from: day(r.from), to: day(r.to - DAY_MS), ...p,
      won_revenue: cents(p.won_revenue), new_business_revenue: cents(p.new_business_revenue), expansion_revenue: cents(p.expansion_revenue),
      revenue_per_customer: p.revenue_per_customer === null ? null : cents(p.revenue_per_customer),
      other_currencies: Object.fromEntries(Object.entries(p.other_currencies).map(([k, v]) => [k, cents(v)])),
    };
  };
  return { period: q.period, currency, current: answer(current), previous: answer(previous) };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const cents = (v: number) => Math.round(v * 100) / 100;
