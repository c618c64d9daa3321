// GET /v1/accounts: accounts ranked by engagement in a window, one page at a time. SQL ranks
// over account_days; the page's accounts then get their exact score, surge flag and distinct
// visitor and people counts from the pure engagement models.
import type { DayActivity } from "../engagement/activity";
import { score } from "../engagement/score";
import { surging, weeklyActivity } from "../engagement/surge";
import { accountDaysOf, audienceOf, type DayRow, rankAccounts, seenOf, type Sort } from "../storage/accounts-read";
import { type DailyPoint, dailyByAccount, type Series } from "./daily";
import { type Scoring, windowScale } from "./scoring";
import { shiftDay, type Window } from "./window";

export interface AccountSummary {
  domain: string;
  name: string | null;
  segment: string | null;
  score: number;
  visitors: number;
  people: number;
  sessions: number;
  pageviews: number;
  form_submits: number;
  engaged_seconds: number;
  first_seen: string | null;
  last_seen: string | null;
  surging: boolean;
  /** only with series=daily: the window's days with activity */
  daily?: DailyPoint[];
}

export interface RankingPage {
  accounts: AccountSummary[];
  next_cursor: string | null;
}

export interface Cursor {
  value: number;
  domain: string;
}

export const encodeCursor = (c: Cursor) => btoa(JSON.stringify([c.value, c.domain])).replace(/=+$/, "");

export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(atob(text));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return { value: parsed[0], domain: parsed[1] };
    }
  } catch {
    // fall through: not a cursor we issued
  }
  return null;
}

export const asActivity = (r: DayRow): DayActivity => ({
  day: r.day,
  page_views: r.page_views,
  high_intent_page_views: r.high_intent_page_views,
  form_starts: r.form_starts,
  form_submits: r.form_submits,
  engaged_seconds: r.engaged_ms / 1000,
});

/** Scores shown with 4 decimals: enough to compare, not a wall of digits. */
export const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

export async function rankAccountsPage(
  d1: D1Database,
  q: { window: Window; scoring: Scoring; segment: string | null; sort: Sort; limit: number; after: Cursor | null; series: Series | null },
): Promise<RankingPage> {
  const settings = q.scoring.settings;
  const rows = await rankAccounts(d1, {
    from: q.window.from,
    to: q.window.to,
    scale: windowScale(q.window.to, q.scoring),
    segment: q.segment,
    sort: q.sort,
    limit: q.limit,
    after: q.after,
  });
  if (rows.length === 0) return { accounts: [], next_cursor: null };

  const ids = rows.map((r) => r.id);
  const asOf = q.window.to;
  // Surge looks at the four weeks ending asOf, whatever the window.
  const since = [q.window.from, shiftDay(asOf, -27)].sort()[0];
  const [days, audience, seen] = await Promise.all([
    accountDaysOf(d1, ids, since, asOf),
    audienceOf(d1, ids, q.window.from, q.window.to),
    seenOf(d1, ids),
  ]);
  const byAccount = new Map<number, DayActivity[]>();
  const inWindow = new Map<number, DayActivity[]>();
  for (const r of days) {
    const a = asActivity(r);
    byAccount.set(r.account_id, [...(byAccount.get(r.account_id) ?? []), a]);
    if (r.day >= q.window.from) inWindow.set(r.account_id, [...(inWindow.get(r.account_id) ?? []), a]);
  }

  // The series comes from the day rows read above for the score: no query per account.
  const daily = q.series === "daily" ? dailyByAccount(days, q.window.from) : null;

  const accounts = rows.map((r): AccountSummary => ({
    domain: r.domain,
    name: r.name,
    segment: r.segment,
    score: round4(score(inWindow.get(r.id) ?? [], asOf, settings).score),
    visitors: audience.get(r.id)?.visitors ?? 0,
    people: audience.get(r.id)?.people ?? 0,
    sessions: r.sessions,
    pageviews: r.pageviews,
    form_submits: r.form_submits,
    engaged_seconds: Math.round(r.engaged_ms / 1000),
    first_seen: seen.get(r.id)?.first_seen ?? null,
    last_seen: seen.get(r.id)?.last_seen ?? null,
    surging: surging(weeklyActivity(byAccount.get(r.id) ?? [], asOf, settings)),
    ...(daily ? { daily: daily.get(r.id) ?? [] } : {}),
  }));
  const last = rows[rows.length - 1];
  return { accounts, next_cursor: rows.length === q.limit ? encodeCursor({ value: last.sort_value, domain: last.domain }) : null };
}
