// Credit per group for the marketing reports (SPEC §10): won revenue and pipeline shared over
// touchpoints with the §6 models, then summed per key (campaign, page …). Pure.
//
// Revenue: won deals, each over its account's touches in the lookback before closed_at (as
// /v1/revenue). Pipeline: deals created in the window, each over the touches in the lookback
// before its created_at (w_shaped's opportunity point is the creation), as /v1/pipeline does.
import type { GroupKeys } from "../revenue/groups";
import { attribute } from "../revenue/models";
import { MixedCurrenciesError } from "../revenue/rpv";
import type { Deal, Model, Touchpoint } from "../revenue/types";

export interface Credited {
  /** the amounts credited to the key */
  amount: number;
  /** the deals credited to the key: fractions under multi-touch models */
  deals: number;
}

/** Where a deal's lookback ends: at its close (revenue) or at its creation (pipeline). */
export type DealEnd = "closed" | "created";

/** A deal's touchpoints (all of its account's, or only those its lookback can credit). */
export type TouchesOf = (deal: Deal, end: DealEnd) => readonly Touchpoint[];

export interface CreditOptions {
  model: Model;
  keysOf: GroupKeys;
  /** markov only: removal effects over all journeys */
  effects?: ReadonlyMap<string, number>;
  lookbackDays?: number;
  /** "created": the lookback ends at created_at (pipeline); "closed": at closed_at (revenue) */
  end: DealEnd;
}

function creditsOf(deal: Deal, touchesOf: TouchesOf, opts: Omit<CreditOptions, "keysOf">) {
  // The lookback ends at closed_at when it is set, else at created_at (revenue/lookback.ts).
  const asOf = opts.end === "created" ? { ...deal, closed_at: null } : deal;
  return attribute(opts.model, touchesOf(deal, opts.end), asOf, { lookbackDays: opts.lookbackDays, effects: opts.effects });
}

/** The touches the model gives any credit: a report grouping by page needs only their pages. */
export function creditedTouches(deals: readonly Deal[], touchesOf: TouchesOf, opts: Omit<CreditOptions, "keysOf">): Touchpoint[] {
  const out = new Map<string, Touchpoint>();
  for (const deal of deals) for (const { touch } of creditsOf(deal, touchesOf, opts)) out.set(`${touch.visitor_id}\u0000${touch.session_id}`, touch);
  return [...out.values()];
}

/** key → credit; deals without a touch in their lookback are credited to no key. */
export function creditByKey(deals: readonly Deal[], touchesOf: TouchesOf, opts: CreditOptions): Map<string, Credited> {
  const out = new Map<string, Credited>();
  for (const deal of deals) {
    const credits = creditsOf(deal, touchesOf, opts);
    for (const { touch, weight } of credits) {
      const keys = opts.keysOf(touch, deal.account_id);
      for (const key of keys) {
        const had = out.get(key) ?? { amount: 0, deals: 0 };
        had.amount += (deal.amount * weight) / keys.length;
        had.deals += weight / keys.length;
        out.set(key, had);
      }
    }
  }
  return out;
}

export class MixedReportCurrenciesError extends MixedCurrenciesError {
  constructor(currencies: string[]) {
    super(currencies);
    this.message = `Deals and spend in this window are in several currencies (${currencies.join(", ")}); choose one with currency=.`;
  }
}

/** The report's currency: the one asked for, else the only one in use; several throw. */
export function reportCurrency(codes: Iterable<string>, asked?: string): string | null {
  if (asked) return asked.toUpperCase();
  const seen = [...new Set([...codes].map((c) => c.toUpperCase()))].sort();
  if (seen.length > 1) throw new MixedReportCurrenciesError(seen);
  return seen[0] ?? null;
}

/** Amounts per currency other than the report's: reported aside, never converted. */
export function otherCurrencies(items: Iterable<{ currency: string; amount: number }>, currency: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { currency: c, amount } of items) {
    const code = c.toUpperCase();
    if (code !== currency) out[code] = Math.round(((out[code] ?? 0) + amount) * 100) / 100;
  }
  return out;
}
