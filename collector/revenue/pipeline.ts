// Pipeline per group (SPEC §10 GET /v1/pipeline): every deal created in the window, any stage,
// shared over its account's touchpoints in the lookback before its creation with the models of
// §6, and the part of it since won. Pure: the orchestration (pipeline-report.ts) reads storage.
//
// A deal's journey ends at created_at instead of closed_at: what brought the opportunity, not
// what closed it. W-shaped's opportunity point is then the deal creation itself (the last touch
// before it). Currencies are never added together (rpv.ts explains how a report's one currency
// is chosen); deals in other currencies are summed aside in `other_currencies`.

import type { GroupKeys } from "./groups";
import { attribute } from "./models";
import { MixedCurrenciesError } from "./rpv";
import type { Deal, Model, Touchpoint } from "./types";

export interface PipelineDeal extends Deal {
  /** won and closed by now (deal-type.ts countsAsWon) */
  won_by_now: boolean;
}

export interface PipelineInput {
  /** the deals created in the window */
  deals: readonly PipelineDeal[];
  touchesByAccount: ReadonlyMap<string, readonly Touchpoint[]>;
  model: Model;
  keysOf: GroupKeys;
  currency?: string;
  lookbackDays?: number;
  /** removal effects over all journeys (converting: the deals' journeys to creation); markov only */
  effects?: ReadonlyMap<string, number>;
}

/**
 * One group's share of the window's pipeline. `deals` and `won_deals` are attributed counts:
 * fractions under multi-touch models (a deal split 1/3 each way adds 1/3 to three groups).
 */
export interface PipelineRow {
  key: string;
  deals: number;
  pipeline: number;
  won_deals: number;
  won_revenue: number;
}

export interface PipelineReport {
  currency: string | null;
  /** pipeline desc, then deals desc, then key */
  rows: PipelineRow[];
  /** every deal in the report's currency, attributed or not */
  total: PipelineRow;
  /** deals whose account had no touchpoint in the lookback before creation (in the total, in no row) */
  unattributed: Omit<PipelineRow, "key">;
  /** pipeline created in the window in other currencies, by currency */
  other_currencies: Record<string, number>;
}

/** The deal as the models see it when its journey ends at its creation. */
export const atCreation = (deal: Deal): Deal => ({ ...deal, closed_at: deal.created_at });

export class MixedPipelineCurrenciesError extends MixedCurrenciesError {
  constructor(currencies: string[]) {
    super(currencies);
    this.message = `Deals created in this window are in several currencies (${currencies.join(", ")}); choose one with currency=.`;
  }
}

export function pipelineByGroup(input: PipelineInput): PipelineReport {
  const currency = reportCurrency(input.deals, input.currency);
  const rows = new Map<string, PipelineRow>();
  const zero = (key: string): PipelineRow => ({ key, deals: 0, pipeline: 0, won_deals: 0, won_revenue: 0 });
  const total = zero("total");
  const unattributed = zero("");
  const other: Record<string, number> = {};

  for (const deal of input.deals) {
    const code = deal.currency.toUpperCase();
    if (code !== currency) {
      other[code] = (other[code] ?? 0) + deal.amount;
      continue;
    }
    add(total, deal, 1);
    const credits = attribute(input.model, input.touchesByAccount.get(deal.account_id) ?? [], atCreation(deal), { lookbackDays: input.lookbackDays, effects: input.effects });
    if (credits.length === 0) {
      add(unattributed, deal, 1);
      continue;
    }
    for (const { touch, weight } of credits) {
      const keys = input.keysOf(touch, deal.account_id);
      for (const key of keys) {
        if (!rows.has(key)) rows.set(key, zero(key));
        add(rows.get(key)!, deal, weight / keys.length);
      }
    }
  }

  const sorted = [...rows.values()].sort((a, b) => b.pipeline - a.pipeline || b.deals - a.deals || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { key: _k, ...rest } = unattributed;
  return { currency, rows: sorted, total, unattributed: rest, other_currencies: other };
}

function add(row: PipelineRow, deal: PipelineDeal, share: number): void {
  row.deals += share;
  row.pipeline += deal.amount * share;
  if (deal.won_by_now) {
    row.won_deals += share;
    row.won_revenue += deal.amount * share;
  }
}

function reportCurrency(deals: readonly Deal[], asked: string | undefined): string | null {
  if (asked) return asked.toUpperCase();
  const seen = [...new Set(deals.map((d) => d.currency.toUpperCase()))].sort();
  if (seen.length > 1) throw new MixedPipelineCurrenciesError(seen);
  return seen[0] ?? null;
}
