// The funnel (SPEC §10 GET /v1/funnel): visitors → leads → opportunities → customers, each a
// count in the window, the rate from the stage above, and the median days from the stage above.
// Pure: storage finds who reached each stage and when (funnel-report.ts hands it in).
//
// Counts are of events in the window, not of a cohort: a deal created this month for an account
// first seen last year is this month's opportunity. Days are measured per unit — per person for
// leads, per account for opportunities and customers — from the moment the unit reached the
// stage above (which may be before the window), and a unit with no such moment before is left
// out of the median (a deal for an account none of whose people was ever identified).

import { DAY_MS } from "./types";

export const FUNNEL_STAGES = ["visitors", "leads", "opportunities", "customers"] as const;
/** What `by=` splits a funnel by: a field of each unit's first touch. */
export const FUNNEL_BYS = ["channel", "source", "medium", "campaign", "landing_page"] as const;
export type FunnelBy = (typeof FUNNEL_BYS)[number];
export type FunnelStageName = (typeof FUNNEL_STAGES)[number];

/** One unit reaching a stage in the window. */
export interface StageEvent {
  /** the group it counts in (by=channel: the first touch's channel) */
  key: string;
  /** who the median is per: the person (leads), the account (opportunities, customers) */
  unit: string;
  /** when the stage was reached, epoch ms */
  at: number;
  /** when the same unit reached the stage above, epoch ms; null when unknown */
  since: number | null;
}

export interface FunnelFacts {
  /** visitors are many: counted per group in SQL */
  visitors: ReadonlyMap<string, number>;
  leads: readonly StageEvent[];
  /** one per deal created; a unit with several counts each deal, its first one for the median */
  opportunities: readonly StageEvent[];
  customers: readonly StageEvent[];
}

export interface FunnelStage {
  name: FunnelStageName;
  count: number;
  /** count ÷ the stage above's count; null for the first stage, or when the one above is 0 */
  rate: number | null;
  /** null for the first stage, or when no unit has a moment in the stage above */
  median_days: number | null;
}

export interface FunnelGroup {
  key: string;
  stages: FunnelStage[];
}

export function funnelStages(facts: FunnelFacts): FunnelStage[] {
  let visitors = 0;
  for (const n of facts.visitors.values()) visitors += n;
  return chain(visitors, facts.leads, facts.opportunities, facts.customers);
}

/** The same funnel per group; groups by visitors, then leads, opportunities, customers (desc), then key. */
export function funnelGroups(facts: FunnelFacts): FunnelGroup[] {
  const keys = new Set<string>([...facts.visitors.keys(), ...[facts.leads, facts.opportunities, facts.customers].flatMap((list) => list.map((e) => e.key))]);
  const of = (list: readonly StageEvent[], key: string) => list.filter((e) => e.key === key);
  const groups = [...keys].map((key) => ({ key, stages: chain(facts.visitors.get(key) ?? 0, of(facts.leads, key), of(facts.opportunities, key), of(facts.customers, key)) }));
  const order = (g: FunnelGroup) => g.stages.map((s) => s.count);
  return groups.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i] - x[i];
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
}

function chain(visitors: number, leads: readonly StageEvent[], opportunities: readonly StageEvent[], customers: readonly StageEvent[]): FunnelStage[] {
  const counts = [visitors, leads.length, opportunities.length, customers.length];
  const medians = [null, medianDays(leads), medianDays(opportunities), medianDays(customers)];
  return FUNNEL_STAGES.map((name, i) => ({
    name,
    count: counts[i],
    rate: i === 0 || counts[i - 1] === 0 ? null : counts[i] / counts[i - 1],
    median_days: medians[i],
  }));
}

/** Each stage's rate from the one above, from the counts alone (the planner's measured rates). */
export function stageRates(counts: Readonly<Record<FunnelStageName, number>>): (number | null)[] {
  return FUNNEL_STAGES.slice(1).map((name, i) => {
    const above = counts[FUNNEL_STAGES[i]];
    return above === 0 ? null : counts[name] / above;
  });
}

/**
 * Median of (at − since) in days over units: each unit's earliest event in the window, those
 * with a `since` at or before it. Even counts average the two middle values.
 */
export function medianDays(events: readonly StageEvent[]): number | null {
  const first = new Map<string, StageEvent>();
  for (const e of events) {
    const seen = first.get(e.unit);
    if (!seen || e.at < seen.at) first.set(e.unit, e);
  }
  const days = [...first.values()].filter((e) => e.since !== null && e.since <= e.at).map((e) => (e.at - e.since!) / DAY_MS);
  return median(days);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
