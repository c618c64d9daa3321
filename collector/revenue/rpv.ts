// Revenue per visitor (SPEC §6): won revenue attributed to each group's touchpoints ÷ the
// unique visitors whose sessions fall in the group over the window; the total row divides all
// won revenue — attributed and unattributed — by all unique visitors.
//
// Currency: amounts in different currencies are never added together. A report is in one
// currency: the one asked for, or else the only one among the window's won deals; if those
// deals use several and none is asked for, revenueByGroup throws MixedCurrenciesError (the
// API answers 400 and lists them). Won deals in other currencies are not converted; their sums
// are returned in `other_currencies` so no revenue disappears silently.

import type { GroupKeys, Traffic, TrafficCounts } from "./groups";
import { attribute } from "./models";
import type { Deal, Model, Touchpoint } from "./types";

export interface RevenueInput {
  /** deals of the site; only won deals with closed_at in [window.from, window.to) count */
  deals: readonly Deal[];
  /** account_id → every touchpoint of the account's visitors (the lookback picks from them) */
  touchesByAccount: ReadonlyMap<string, readonly Touchpoint[]>;
  model: Model;
  keysOf: GroupKeys;
  traffic: TrafficCounts;
  /** epoch ms, from inclusive, to exclusive */
  window: { from: number; to: number };
  /** ISO 4217 code of the report; needed only when the window's won deals mix currencies */
  currency?: string;
  lookbackDays?: number;
  /** removal effects over all journeys; required when model is "markov" */
  effects?: ReadonlyMap<string, number>;
}

export interface RevenueRow extends Traffic {
  key: string;
  revenue: number;
  /** null when the group has no visitor in the window (its credited touches are older) */
  revenue_per_visitor: number | null;
}

export interface RevenueReport {
  currency: string | null;
  /** revenue desc, then visitors desc, then key */
  rows: RevenueRow[];
  total: RevenueRow;
  /** won revenue of deals whose account has no touchpoint in the lookback (included in total) */
  unattributed: number;
  /** won revenue in the window in currencies other than `currency`, by currency */
  other_currencies: Record<string, number>;
}

export class MixedCurrenciesError extends Error {
  constructor(readonly currencies: string[]) {
    super(`Won deals in this window are in several currencies (${currencies.join(", ")}); choose one with currency=.`);
    this.name = "MixedCurrenciesError";
  }
}

export function revenueByGroup(input: RevenueInput): RevenueReport {
  const won = input.deals.filter(
    (d) => d.won && d.closed_at !== null && d.closed_at >= input.window.from && d.closed_at < input.window.to,
  );
  const currency = reportCurrency(won, input.currency);

  const revenue = new Map<string, number>();
  const other: Record<string, number> = {};
  let attributed = 0;
  let unattributed = 0;
  for (const deal of won) {
    const code = deal.currency.toUpperCase();
    if (code !== currency) {
      other[code] = (other[code] ?? 0) + deal.amount;
      continue;
    }
    const touches = input.touchesByAccount.get(deal.account_id) ?? [];
    const credits = attribute(input.model, touches, deal, { lookbackDays: input.lookbackDays, effects: input.effects });
    if (credits.length === 0) {
      unattributed += deal.amount;
      continue;
    }
    attributed += deal.amount;
    for (const { touch, weight } of credits) {
      const keys = input.keysOf(touch, deal.account_id);
      for (const key of keys) revenue.set(key, (revenue.get(key) ?? 0) + (deal.amount * weight) / keys.length);
    }
  }

  const keys = new Set([...input.traffic.byGroup.keys(), ...revenue.keys()]);
  const rows = [...keys].map((key) => row(key, input.traffic.byGroup.get(key) ?? { visitors: 0, sessions: 0 }, revenue.get(key) ?? 0));
  rows.sort((a, b) => b.revenue - a.revenue || b.visitors - a.visitors || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    currency,
    rows,
    total: row("total", input.traffic.total, attributed + unattributed),
    unattributed,
    other_currencies: other,
  };
}

function row(key: string, traffic: Traffic, revenue: number): RevenueRow {
  return {
    key,
    visitors: traffic.visitors,
    sessions: traffic.sessions,
    revenue,
    revenue_per_visitor: traffic.visitors > 0 ? revenue / traffic.visitors : null,
  };
}

function reportCurrency(won: readonly Deal[], asked: string | undefined): string | null {
  if (asked) return asked.toUpperCase();
  const seen = [...new Set(won.map((d) => d.currency.toUpperCase()))].sort();
  if (seen.length > 1) throw new MixedCurrenciesError(seen);
  return seen[0] ?? null;
}
