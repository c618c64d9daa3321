// What `by=` in GET /v1/revenue groups on, and the visitor/session counts per group that
// revenue per visitor divides by (SPEC §6 "Revenue per visitor").

import type { Touchpoint } from "./types";

export const GROUP_BYS = ["channel", "source", "medium", "campaign", "landing_page", "page", "account_segment"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The group of a touch whose field is empty (direct traffic has no source, most sessions no campaign). */
export const NONE_KEY = "(none)";

/**
 * The groups a touch counts in, given the account its visitor belongs to (null: unresolved).
 * A touch's credit is split evenly over the keys, so most groupings return exactly one.
 */
export type GroupKeys = (touch: Touchpoint, accountId: string | null) => string[];

/**
 * Key function for `by`. "page": every distinct page of the session (a touch's credit is split
 * evenly over them; a session with no recorded page counts under its landing page).
 * "account_segment": the segment of the account, looked up with `segmentOf`.
 */
export function groupKeys(by: GroupBy, segmentOf: (accountId: string) => string | null = () => null): GroupKeys {
  const one = (v: string | null) => [v ?? NONE_KEY];
  switch (by) {
    case "channel":
      return (t) => [t.channel];
    case "source":
      return (t) => one(t.source);
    case "medium":
      return (t) => one(t.medium);
    case "campaign":
      return (t) => one(t.campaign);
    case "landing_page":
      return (t) => one(t.landing_page);
    case "page":
      return (t) => (t.pages.length > 0 ? [...new Set(t.pages)] : one(t.landing_page));
    case "account_segment":
      return (_t, accountId) => one(accountId === null ? null : segmentOf(accountId));
  }
}

export interface Traffic {
  /** unique visitors with a session in the group */
  visitors: number;
  sessions: number;
}

export interface TrafficCounts {
  byGroup: Map<string, Traffic>;
  total: Traffic;
}

/**
 * Unique visitors and sessions per group from the sessions of the window (each session is a
 * touchpoint). A session that falls in several groups (several pages) counts in each; the total
 * counts every visitor and session once. Storage may compute the same counts in SQL instead.
 */
export function countTraffic(
  sessions: Iterable<{ touch: Touchpoint; account_id: string | null }>,
  keysOf: GroupKeys,
): TrafficCounts {
  const visitors = new Map<string, Set<string>>();
  const sessionIds = new Map<string, Set<string>>();
  const allVisitors = new Set<string>();
  const allSessions = new Set<string>();
  for (const { touch, account_id } of sessions) {
    allVisitors.add(touch.visitor_id);
    allSessions.add(touch.session_id);
    for (const key of keysOf(touch, account_id)) {
      if (!visitors.has(key)) {
        visitors.set(key, new Set());
        sessionIds.set(key, new Set());
      }
      visitors.get(key)!.add(touch.visitor_id);
      sessionIds.get(key)!.add(touch.session_id);
    }
  }
  const byGroup = new Map<string, Traffic>();
  for (const [key, v] of visitors) byGroup.set(key, { visitors: v.size, sessions: sessionIds.get(key)!.size });
  return { byGroup, total: { visitors: allVisitors.size, sessions: allSessions.size } };
}
