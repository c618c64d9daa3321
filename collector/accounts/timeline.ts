// GET /v1/accounts/:domain/timeline: one account-level journey across all its people — every
// session with its touchpoint, form events, identify and group moments — in time order.
// Other modules add their own items through TIMELINE_SOURCES (deals: see below).
import type { AccountRow } from "../storage/accounts";
import { momentsOf, sessionsOf, visitorsOfAccount } from "../storage/accounts-people";

export interface TimelineItem {
  at: string;
  /** session | identify | group | form_start | form_submit | form_abandon | deal_created | deal_closed | … */
  kind: string;
  anonymous_id: string | null;
  person_id: string | null;
  [detail: string]: unknown;
}

/**
 * A source of timeline items for one account. The revenue module registers one for deals:
 * `TIMELINE_SOURCES.push(async (d1, account) => dealsOf(d1, account.id).map(...))` with kinds
 * `deal_created` / `deal_closed`. Items are merged and sorted with the visitors' own.
 */
export type TimelineSource = (d1: D1Database, account: AccountRow) => Promise<TimelineItem[]>;

export const TIMELINE_SOURCES: TimelineSource[] = [];

/** Visitors read per account; an account with more shows its first ones and says so. */
const MAX_VISITORS = 2_000;

/** Tie order at the same instant: a session opens before what happens in it. */
const KIND_ORDER: Record<string, number> = { session: 0, group: 1, identify: 2, form_start: 3, form_submit: 4, form_abandon: 5 };

export async function accountTimeline(d1: D1Database, account: AccountRow): Promise<{ items: TimelineItem[]; truncated: boolean }> {
  const visitors = await visitorsOfAccount(d1, account.id, MAX_VISITORS + 1);
  const truncated = visitors.length > MAX_VISITORS;
  const kept = visitors.slice(0, MAX_VISITORS);
  const personOf = new Map(kept.map((v) => [v.anonymous_id, v.person_id]));
  const ids = [...personOf.keys()];
  const [sessions, moments, ...extra] = await Promise.all([
    sessionsOf(d1, ids),
    momentsOf(d1, ids),
    ...TIMELINE_SOURCES.map((source) => source(d1, account)),
  ]);

  const items: TimelineItem[] = [
    ...sessions.map((s) => ({
      at: s.started_at,
      kind: "session",
      anonymous_id: s.anonymous_id,
      person_id: personOf.get(s.anonymous_id) ?? null,
      session_id: s.id,
      ended_at: s.ended_at,
      touchpoint: { channel: s.channel, source: s.source, medium: s.medium, campaign: s.campaign, landing_page: s.landing_page, referrer_host: s.referrer_host },
      pageviews: s.pageviews,
      events: s.events,
    })),
    ...moments.map((m) => ({
      at: m.at,
      kind: m.kind,
      anonymous_id: m.anonymous_id,
      person_id: personOf.get(m.anonymous_id) ?? null,
      ...(JSON.parse(m.detail) as Record<string, unknown>),
    })),
    ...extra.flat(),
  ];
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9)));
  return { items, truncated };
}
