// Reads behind GET /v1/accounts, /v1/accounts/:domain and /v1/coverage: rollups only, never the
// raw event log. The ranking scans a window of account_days through its covering index.
import type { AccountRow } from "./accounts";
import { jsonChunks } from "./db";
import { COUNTER_COLUMNS, type Counters } from "./rollups";

export const SORTS = ["score", "sessions", "pageviews", "form_submits", "engaged_seconds"] as const;
export type Sort = (typeof SORTS)[number];

export interface RankedRow {
  id: number;
  domain: string;
  name: string | null;
  segment: string | null;
  /** the ranking value as SQL computed it (the cursor carries it) */
  sort_value: number;
  sessions: number;
  pageviews: number;
  form_submits: number;
  engaged_ms: number;
}

export interface RankQuery {
  from: string;
  to: string;
  /** turns the running-sum difference into the window's score (accounts/scoring.ts windowScale) */
  scale: number;
  segment: string | null;
  sort: Sort;
  limit: number;
  after: { value: number; domain: string } | null;
}

const SORT_SQL: Record<Sort, string> = {
  score: "score",
  sessions: "sessions",
  pageviews: "pageviews",
  form_submits: "form_submits",
  engaged_seconds: "engaged_ms",
};

/**
 * The ranking statement for `sort`: one page of accounts ranked by it (descending), ties broken by
 * domain: a stable cursor. Parameters: ?1 from, ?2 to (days), ?3 scale, ?4 segment, ?5/?6 the
 * cursor's value and domain, ?7 limit. Per account two index seeks on account_days' primary key:
 * its last day up to `to` (hi) and its last day before `from` (lo); the window's sums are hi's
 * running sums minus lo's. Without a day before `from`, lo is the account's first day minus that
 * day's own counts (the running sums may carry days the retention job deleted). An account
 * without a day in the window has hi.day < from and is left out. Exported for bench/accounts.mjs,
 * which runs this very text in the sqlite3 CLI as its baseline.
 */
export function rankingSql(sort: Sort): string {
  const sortCol = SORT_SQL[sort];
  return `SELECT * FROM (
         SELECT a.id, a.domain, a.name, a.segment,
           (hi.run_ws - coalesce(lo.run_ws, f.run_ws - f.ws)) * ?3 AS score,
           hi.run_sessions - coalesce(lo.run_sessions, f.run_sessions - f.sessions) AS sessions,
           hi.run_pageviews - coalesce(lo.run_pageviews, f.run_pageviews - f.page_views - f.high_intent_page_views) AS pageviews,
           hi.run_form_submits - coalesce(lo.run_form_submits, f.run_form_submits - f.form_submits) AS form_submits,
           hi.run_engaged_ms - coalesce(lo.run_engaged_ms, f.run_engaged_ms - f.engaged_ms) AS engaged_ms
         FROM accounts a
         JOIN account_days hi ON hi.rowid =
           (SELECT rowid FROM account_days WHERE account_id = a.id AND day <= ?2 ORDER BY day DESC LIMIT 1)
         LEFT JOIN account_days lo ON lo.rowid =
           (SELECT rowid FROM account_days WHERE account_id = a.id AND day < ?1 ORDER BY day DESC LIMIT 1)
         LEFT JOIN account_days f ON lo.rowid IS NULL AND f.rowid =
           (SELECT rowid FROM account_days WHERE account_id = a.id ORDER BY day LIMIT 1)
         WHERE hi.day >= ?1 AND (?4 IS NULL OR a.segment = ?4)
       )
       WHERE ?5 IS NULL OR ${sortCol} < ?5 OR (${sortCol} = ?5 AND domain > ?6)
       ORDER BY ${sortCol} DESC, domain ASC
       LIMIT ?7`;
}

/** One page of accounts ranked by `sort` (rankingSql). */
export async function rankAccounts(d1: D1Database, q: RankQuery): Promise<RankedRow[]> {
  const { results } = await d1
    .prepare(rankingSql(q.sort))
    .bind(q.from, q.to, q.scale, q.segment, q.after?.value ?? null, q.after?.domain ?? null, q.limit)
    .all<Omit<RankedRow, "sort_value"> & { score: number }>();
  return results.map((r) => ({ ...r, sort_value: q.sort === "score" ? r.score : q.sort === "engaged_seconds" ? r.engaged_ms : r[q.sort] }));
}

export interface DayRow extends Counters {
  account_id: number;
  day: string;
}

/** account_days of these accounts between two days (inclusive). */
export async function accountDaysOf(d1: D1Database, ids: number[], from: string, to: string): Promise<DayRow[]> {
  const out: DayRow[] = [];
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare(
        `SELECT account_id, day, ${COUNTER_COLUMNS.join(", ")} FROM account_days
         WHERE account_id IN (SELECT value FROM json_each(?1)) AND day BETWEEN ?2 AND ?3 ORDER BY account_id, day`,
      )
      .bind(chunk, from, to)
      .all<DayRow>();
    out.push(...results);
  }
  return out;
}

export interface AudienceRow {
  account_id: number;
  visitors: number;
  people: number;
}

/**
 * Distinct visitors and people per account in a window (distinct counts do not sum over days). A
 * backend's calls for a userId (visitor `u:<userId>`) count for the person, not as a visitor.
 */
export async function audienceOf(d1: D1Database, ids: number[], from: string, to: string): Promise<Map<number, AudienceRow>> {
  const out = new Map<number, AudienceRow>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare(
        `SELECT vd.account_id, count(DISTINCT iif(vd.anonymous_id LIKE 'u:%', NULL, vd.anonymous_id)) AS visitors,
                count(DISTINCT vi.person_id) AS people
         FROM visitor_days vd JOIN visitor_identities vi ON vi.anonymous_id = vd.anonymous_id
         WHERE vd.account_id IN (SELECT value FROM json_each(?1)) AND vd.day BETWEEN ?2 AND ?3
         GROUP BY vd.account_id`,
      )
      .bind(chunk, from, to)
      .all<AudienceRow>();
    for (const r of results) out.set(r.account_id, r);
  }
  return out;
}

/** First and last activity of each account, all time. */
export async function seenOf(d1: D1Database, ids: number[]): Promise<Map<number, { first_seen: string; last_seen: string }>> {
  const out = new Map<number, { first_seen: string; last_seen: string }>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare(
        `SELECT account_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM visitor_identities
         WHERE account_id IN (SELECT value FROM json_each(?1)) GROUP BY account_id`,
      )
      .bind(chunk)
      .all<{ account_id: number; first_seen: string; last_seen: string }>();
    for (const r of results) out.set(r.account_id, r);
  }
  return out;
}

/** The account a domain (primary or any other of its domains) belongs to. */
export async function accountByDomain(d1: D1Database, domain: string): Promise<AccountRow | null> {
  return d1
    .prepare("SELECT a.* FROM account_domains d JOIN accounts a ON a.id = d.account_id WHERE d.domain = ?1")
    .bind(domain)
    .first<AccountRow>();
}

export async function domainsAndAsnsOf(d1: D1Database, id: number): Promise<{ domains: string[]; asns: number[] }> {
  const [d, a] = await d1.batch<{ v: string | number }>([
    d1.prepare("SELECT domain AS v FROM account_domains WHERE account_id = ?1 ORDER BY domain").bind(id),
    d1.prepare("SELECT asn AS v FROM account_asns WHERE account_id = ?1 ORDER BY asn").bind(id),
  ]);
  return { domains: d.results.map((r) => String(r.v)), asns: a.results.map((r) => Number(r.v)) };
}

/** Distinct visitors per day of one account. */
export async function dailyVisitors(d1: D1Database, id: number, from: string, to: string): Promise<Map<string, number>> {
  const { results } = await d1
    .prepare(
      `SELECT day, count(*) AS visitors FROM visitor_days WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3 AND anonymous_id NOT LIKE 'u:%' GROUP BY day`,
    )
    .bind(id, from, to)
    .all<{ day: string; visitors: number }>();
  return new Map(results.map((r) => [r.day, r.visitors]));
}

export async function topPages(d1: D1Database, id: number, from: string, to: string, limit: number) {
  const { results } = await d1
    .prepare(
      `SELECT p.path, count(*) AS views, count(DISTINCT s.anonymous_id) AS visitors
       FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id, json_each(s.marks) m
       JOIN paths p ON p.id = m.value ->> 2
       WHERE vi.account_id = ?1 AND s.is_bot = 0 AND s.started_at >= ?2 AND s.started_at < date(?3, '+1 day')
         AND (m.value ->> 1) & 7 = 0
       GROUP BY p.path ORDER BY views DESC, p.path LIMIT ?4`,
    )
    .bind(id, from, to, limit)
    .all<{ path: string; views: number; visitors: number }>();
  return results;
}

/** Segment members, and which of them had activity in [from, to). */
export async function segmentEngagement(
  d1: D1Database,
  segment: string,
  ranges: { from: string; to: string }[],
): Promise<{ members: string[]; engaged: Set<string>[] }> {
  const members = await d1.prepare("SELECT domain FROM accounts WHERE segment = ?1").bind(segment).all<{ domain: string }>();
  const engaged = await d1.batch<{ domain: string }>(
    ranges.map((r) =>
      d1
        .prepare(
          `SELECT DISTINCT a.domain FROM accounts a JOIN account_days ad ON ad.account_id = a.id
           WHERE a.segment = ?1 AND ad.day >= ?2 AND ad.day < ?3 AND ad.events > 0`,
        )
        .bind(segment, r.from, r.to),
    ),
  );
  return { members: members.results.map((m) => m.domain), engaged: engaged.map((e) => new Set(e.results.map((r) => r.domain))) };
}
