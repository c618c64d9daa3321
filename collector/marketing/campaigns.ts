// GET /v1/campaigns rows (SPEC §10): per UTM campaign its spend, visitors, engaged and newly
// engaged accounts, pipeline and revenue under a model, and the return columns. Pure: storage
// counts the sessions and accounts, credit.ts shares the deals, this puts them side by side.
import { NONE_KEY } from "../revenue/groups";
import { spendReturns, type Spend } from "../revenue/returns";
import type { Credited } from "./credit";

/** An account with no session on any of this many days before the day of its first campaign session is newly engaged. */
export const NEW_ENGAGEMENT_QUIET_DAYS = 90;

export interface CampaignRow {
  key: string;
  source: string | null;
  medium: string | null;
  spend: number | null;
  clicks: number | null;
  visitors: number;
  sessions: number;
  engaged_accounts: number;
  new_engaged_accounts: number;
  cost_per_engaged_account: number | null;
  opportunities: number;
  pipeline: number;
  revenue: number;
  roas: number | null;
  cost_per_visitor: number | null;
  revenue_per_click: number | null;
  cost_per_opportunity: number | null;
}

export interface CampaignInput {
  /** sessions in the window per campaign, source and medium */
  traffic: readonly { campaign: string; source: string | null; medium: string | null; sessions: number }[];
  /** unique visitors per campaign */
  visitors: ReadonlyMap<string, number>;
  engagement: readonly { campaign: string; engaged: number; new_engaged: number }[];
  /** spend per campaign, in the report's currency */
  spend: ReadonlyMap<string, Spend>;
  /** spend per campaign, source and medium: names a campaign's source when no session does */
  spendSources: readonly { campaign: string; source: string; medium: string; amount: number }[];
  revenue: ReadonlyMap<string, Credited>;
  pipeline: ReadonlyMap<string, Credited>;
}

/** Every campaign with sessions, spend or credit in the window: revenue desc, then spend desc, then name. */
export function campaignRows(input: CampaignInput): CampaignRow[] {
  const keys = new Set<string>([
    ...input.traffic.map((t) => t.campaign),
    ...input.spend.keys(),
    ...input.revenue.keys(),
    ...input.pipeline.keys(),
  ]);
  // Credit to touches without a campaign is not a campaign's.
  keys.delete(NONE_KEY);
  const sessions = new Map<string, number>();
  for (const t of input.traffic) sessions.set(t.campaign, (sessions.get(t.campaign) ?? 0) + t.sessions);
  const engagement = new Map(input.engagement.map((e) => [e.campaign, e]));
  const trafficOf = groupBy(input.traffic, (t) => t.campaign);
  const spendOf = groupBy(input.spendSources, (s) => s.campaign);

  const rows = [...keys].map((key): CampaignRow => {
    const main = mainSource(trafficOf.get(key) ?? [], spendOf.get(key) ?? []);
    const spend = input.spend.get(key);
    const revenue = input.revenue.get(key)?.amount ?? 0;
    const pipeline = input.pipeline.get(key);
    const visitors = input.visitors.get(key) ?? 0;
    const engaged = engagement.get(key);
    const returns = spendReturns({ revenue, visitors, opportunities: pipeline?.deals ?? 0 }, spend);
    return {
      key,
      source: main.source,
      medium: main.medium,
      spend: returns?.spend ?? null,
      clicks: returns?.clicks ?? null,
      visitors,
      sessions: sessions.get(key) ?? 0,
      engaged_accounts: engaged?.engaged ?? 0,
      new_engaged_accounts: engaged?.new_engaged ?? 0,
      cost_per_engaged_account: spend && engaged?.engaged ? cents(spend.spend / engaged.engaged) : null,
      opportunities: round4(pipeline?.deals ?? 0),
      pipeline: cents(pipeline?.amount ?? 0),
      revenue: cents(revenue),
      roas: returns?.roas ?? null,
      cost_per_visitor: returns?.cost_per_visitor ?? null,
      revenue_per_click: returns?.revenue_per_click ?? null,
      cost_per_opportunity: returns?.cost_per_opportunity ?? null,
    };
  });
  return rows.sort((a, b) => b.revenue - a.revenue || (b.spend ?? 0) - (a.spend ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The source and medium a campaign row names: those of most of its sessions in the window (ties
 * alphabetically), else those of most of its spend, else none.
 */
function mainSource(traffic: CampaignInput["traffic"], spend: CampaignInput["spendSources"]): { source: string | null; medium: string | null } {
  const bySessions = [...traffic].sort((a, b) => b.sessions - a.sessions || order(a, b));
  if (bySessions.length) return { source: bySessions[0].source, medium: bySessions[0].medium };
  const bySpend = [...spend].sort((a, b) => b.amount - a.amount || order(a, b));
  if (bySpend.length) return { source: bySpend[0].source || null, medium: bySpend[0].medium || null };
  return { source: null, medium: null };
}

const order = (a: { source: string | null; medium: string | null }, b: { source: string | null; medium: string | null }) => {
  const x = `${a.source ?? ""}\u0000${a.medium ?? ""}`;
  const y = `${b.source ?? ""}\u0000${b.medium ?? ""}`;
  return x < y ? -1 : x > y ? 1 : 0;
};
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) {
    const list = out.get(key(t));
    if (list) list.push(t);
    else out.set(key(t), [t]);
  }
  return out;
}

const cents = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
