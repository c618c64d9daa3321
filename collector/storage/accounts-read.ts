// Reads behind GET /v1/accounts, /v1/accounts/:domain and /v1/coverage: rollups only, never the
// raw event log. The ranking scans a window of account_days through its covering index.
import type { EngagementSettings } from "../engagement/settings";
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
  /** [day, decay factor] for every day of the window */
  days: { d: string; f: number }[];
  settings: EngagementSettings;
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

/** One page of accounts ranked by `sort` (descending), ties broken by domain: a stable cursor. */
export async function rankAccounts(d1: D1Database, q: RankQuery): Promise<RankedRow[]> {
  const w = q.settings.weights;
  const sortCol = SORT_SQL[q.sort];
  // CROSS JOIN fixes the join order: for each window day, a range of the covering index.
  // Left to itself, workerd's SQLite scanned account_days and re-read json_each per row (10× slower).
  const { results } = await d1
    .prepare(
      `WITH w(day, f) AS MATERIALIZED (SELECT value ->> 'd', value ->> 'f' FROM json_each(?1)),
       agg AS (
         SELECT ad.account_id,
           sum((ad.page_views * ?2 + ad.high_intent_page_views * ?3 + ad.form_starts * ?4 + ad.form_submits * ?5
                + ad.engaged_ms * ?6 / 60000.0) * w.f) AS score,
           sum(ad.sessions) AS sessions, sum(ad.page_views + ad.high_intent_page_views) AS pageviews,
           sum(ad.form_submits) AS form_submits, sum(ad.engaged_ms) AS engaged_ms
         FROM w CROSS JOIN account_days ad ON ad.day = w.day
         GROUP BY ad.account_id
       )
       SELECT a.id, a.domain, a.name, a.segment, agg.${sortCol} AS sort_value, agg.sessions, agg.pageviews,
              agg.form_submits, agg.engaged_ms
       FROM agg JOIN accounts a ON a.id = agg.account_id
       WHERE (?7 IS NULL OR a.segment = ?7)
         AND (?8 IS NULL OR agg.${sortCol} < ?8 OR (agg.${sortCol} = ?8 AND a.domain > ?9))
       ORDER BY agg.${sortCol} DESC, a.domain ASC
       LIMIT ?10`,
    )
    .bind(
      JSON.stringify(q.days), w.page_view, w.high_intent_page_view, w.form_start, w.form_submit, w.engaged_minute,
      q.segment, q.after?.value ?? null, q.after?.domain ?? null, q.limit,
    )
    .all<RankedRow>();
  return results;
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

/** Distinct visitors and people per account in a window (distinct counts do not sum over days). */
export async function audienceOf(d1: D1Database, ids: number[], from: string, to: string): Promise<Map<number, AudienceRow>> {
  const out = new Map<number, AudienceRow>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare(
        `SELECT vd.account_id, count(DISTINCT vd.anonymous_id) AS visitors, count(DISTINCT vi.person_id) AS people
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
        `SELECT account_id, min(first_at) AS first_seen, max(last_at) AS last_seen FROM visitor_days
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
      `SELECT day, count(*) AS visitors FROM visitor_days WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY day`,
    )
    .bind(id, from, to)
    .all<{ day: string; visitors: number }>();
  return new Map(results.map((r) => [r.day, r.visitors]));
}

export async function topPages(d1: D1Database, id: number, from: string, to: string, limit: number) {
  const { results } = await d1
    .prepare(
      `SELECT path, sum(views) AS views, count(DISTINCT anonymous_id) AS visitors FROM visitor_page_days
       WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY path ORDER BY views DESC, path LIMIT ?4`,
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
