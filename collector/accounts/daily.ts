// An account's daily series as the API shows it: one point per day with activity (quiet days
// are left out and count zero). GET /v1/accounts/:domain and GET /v1/accounts?series=daily
// share this shape, so a chart drawn from one draws the same from the other.
import type { DayRow } from "../storage/accounts-read";

export interface DailyPoint {
  day: string;
  sessions: number;
  /** all page views, high-intent ones included */
  pageviews: number;
  high_intent_pageviews: number;
  form_starts: number;
  form_submits: number;
  engaged_seconds: number;
  /** page views, form events, identify and group calls: what the sparkline draws */
  events: number;
}

export const SERIES = ["daily"] as const;
export type Series = (typeof SERIES)[number];

export function dailyPoint(d: DayRow): DailyPoint {
  return {
    day: d.day,
    sessions: d.sessions,
    pageviews: d.page_views + d.high_intent_page_views,
    high_intent_pageviews: d.high_intent_page_views,
    form_starts: d.form_starts,
    form_submits: d.form_submits,
    engaged_seconds: Math.round(d.engaged_ms / 1000),
    events: d.events,
  };
}

/** Each account's points from `from` on, in day order (rows come ordered by account, day). */
export function dailyByAccount(rows: readonly DayRow[], from: string): Map<number, DailyPoint[]> {
  const out = new Map<number, DailyPoint[]>();
  for (const r of rows) {
    if (r.day < from) continue;
    const points = out.get(r.account_id);
    if (points) points.push(dailyPoint(r));
    else out.set(r.account_id, [dailyPoint(r)]);
  }
  return out;
}
