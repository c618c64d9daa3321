// GET /v1/funnel: reads who reached each stage in the window (storage/funnel.ts) and hands it to
// the pure funnel (funnel.ts). Not pure itself.
//
// Cost: visitors are counted in SQL over the window's sessions (sessions_started); leads scan
// people by first_seen; deals come through deals_created and the won history through
// deals_won_closed; each first touch is one index search per unit (visitor, person, account).
import { type FirstTouchColumn, leadsIn, newCustomersIn, opportunitiesIn, visitorsByFirstTouch } from "../storage/funnel";
import { type FunnelBy, type FunnelGroup, type FunnelStage, funnelGroups, funnelStages, type StageEvent } from "./funnel";
import { NONE_KEY } from "./groups";
import { daySpan } from "./span";
import { DEFAULT_LOOKBACK_DAYS } from "./types";

// Every `by` is a touchpoint column storage can read.
const byIsColumn: FunnelBy extends FirstTouchColumn ? true : never = true;
void byIsColumn;

export interface FunnelQuery {
  /** first and last day, YYYY-MM-DD, inclusive (UTC) */
  window: { from: string; to: string };
  by?: FunnelBy;
  now: Date;
}

export interface FunnelAnswer {
  from: string;
  to: string;
  stages: FunnelStage[];
  by?: FunnelBy;
  groups?: FunnelGroup[];
}

export async function funnelReport(d1: D1Database, q: FunnelQuery): Promise<FunnelAnswer> {
  const span = daySpan(q.window);
  const by = q.by ?? null;
  const [visitors, leads, opportunities, customers] = await Promise.all([
    visitorsByFirstTouch(d1, span, by),
    leadsIn(d1, span, by),
    opportunitiesIn(d1, span, by, DEFAULT_LOOKBACK_DAYS),
    newCustomersIn(d1, span, q.now.toISOString(), by, DEFAULT_LOOKBACK_DAYS),
  ]);
  const key = (k: string | null) => k ?? NONE_KEY;
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const facts = {
    visitors: new Map([...visitors].map(([k, n]) => [key(k), n])),
    leads: leads.map((l): StageEvent => ({ key: key(l.key), unit: l.person_id, at: Date.parse(l.at), since: ms(l.since) })),
    opportunities: opportunities.map((o): StageEvent => ({ key: key(o.key), unit: String(o.account_id), at: Date.parse(o.at), since: ms(o.since) })),
    customers: customers.map((c): StageEvent => ({ key: key(c.key), unit: String(c.account_id), at: Date.parse(c.at), since: ms(c.since) })),
  };
  const stages = funnelStages(facts).map(rounded);
  if (!q.by) return { from: q.window.from, to: q.window.to, stages };
  const groups = funnelGroups(facts).map((g) => ({ key: g.key, stages: g.stages.map(rounded) }));
  return { from: q.window.from, to: q.window.to, stages, by: q.by, groups };
}

/** Rates to 6 decimals, days to 1. */
const rounded = (s: FunnelStage): FunnelStage => ({
  ...s,
  rate: s.rate === null ? null : Math.round(s.rate * 1e6) / 1e6,
  median_days: s.median_days === null ? null : Math.round(s.median_days * 10) / 10,
});
