// GET /v1/campaigns: loads the window's spend, campaign sessions, engaged accounts and deals,
// shares the deals over the campaigns' touches with the model, and hands it all to campaigns.ts.
// Not pure (it reads D1); the rules are in the files it calls.
import { groupKeys } from "../revenue/groups";
import { spendInCurrency } from "../revenue/returns";
import { DEFAULT_LOOKBACK_DAYS, type Model } from "../revenue/types";
import { campaignActivity } from "../storage/marketing";
import { campaignSpendSources, spendSums } from "../storage/spend";
import { type CampaignRow, campaignRows, NEW_ENGAGEMENT_QUIET_DAYS } from "./campaigns";
import { creditByKey } from "./credit";
import { loadDealWindow } from "./deal-window";

export interface CampaignsQuery {
  window: { from: string; to: string };
  /** lower case; null: every account */
  segment: string | null;
  model: Model;
  currency?: string;
}

export interface CampaignsAnswer {
  window: { from: string; to: string };
  model: Model;
  segment: string | null;
  currency: string | null;
  lookback_days: number;
  rows: CampaignRow[];
  totals: { spend: number; pipeline: number; revenue: number; roas: number | null };
  other_currencies: { revenue: Record<string, number>; pipeline: Record<string, number>; spend: Record<string, number> };
}

export async function campaignsReport(d1: D1Database, q: CampaignsQuery): Promise<CampaignsAnswer> {
  const [sums, spendSources] = await Promise.all([spendSums(d1, "campaign", q.window.from, q.window.to), campaignSpendSources(d1, q.window.from, q.window.to)]);
  const deals = await loadDealWindow(d1, { window: q.window, model: q.model, currency: q.currency, touchesFor: "both", spendCurrencies: sums.map((s) => s.currency) });
  const spend = spendInCurrency(sums, deals.currency);
  const activity = await campaignActivity(d1, deals.range, q.segment, NEW_ENGAGEMENT_QUIET_DAYS);
  const credit = { model: q.model, keysOf: groupKeys("campaign"), effects: deals.effects };
  const rows = campaignRows({
    traffic: activity.bySource,
    visitors: activity.visitors,
    engagement: activity.engagement,
    spend: spend.byKey,
    spendSources: spendSources.filter((s) => s.amount > 0),
    revenue: creditByKey(deals.won, deals.touchesOf, { ...credit, end: "closed" }),
    pipeline: creditByKey(deals.created, deals.touchesOf, { ...credit, end: "created" }),
  });
  const sum = (pick: (r: CampaignRow) => number | null) => Math.round(rows.reduce((n, r) => n + (pick(r) ?? 0), 0) * 100) / 100;
  const totals = { spend: sum((r) => r.spend), pipeline: sum((r) => r.pipeline), revenue: sum((r) => r.revenue) };
  return {
    window: q.window,
    model: q.model,
    segment: q.segment,
    currency: deals.currency,
    lookback_days: DEFAULT_LOOKBACK_DAYS,
    rows,
    totals: { ...totals, roas: totals.spend > 0 ? Math.round((totals.revenue / totals.spend) * 1e4) / 1e4 : null },
    other_currencies: { ...deals.other, spend: spend.other },
  };
}
