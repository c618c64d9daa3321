// Reads behind GET /v1/funnel (SPEC §10): who reached each stage in a window, when, since when,
// and the first touch they count under. Visitors are counted in SQL (there are many); leads,
// opportunities and customers come back one row each (there are few).
//
// First touch: the earliest human session of the visitor, of the lead's person (any device), of
// the deal's account before the deal was created (within the lookback, as GET /v1/pipeline's
// first_touch), and of the customer's account before its first won deal was created.

/** [from, to) as ISO instants. */
export interface Span {
  from: string;
  to: string;
}

/** A session column a funnel can be split by (the first touch's). */
export type FirstTouchColumn = "channel" | "source" | "medium" | "campaign" | "landing_page";
const COLUMNS: readonly FirstTouchColumn[] = ["channel", "source", "medium", "campaign", "landing_page"];

function column(by: FirstTouchColumn | null): string | null {
  if (by === null) return null;
  if (!COLUMNS.includes(by)) throw new Error(`not a touchpoint column: ${by}`);
  return by;
}

/** key (the first touch's value; null: empty) → visitors with a human session in the span. Without `by`, one row keyed null. */
export async function visitorsByFirstTouch(d1: D1Database, span: Span, by: FirstTouchColumn | null): Promise<Map<string | null, number>> {
  const col = column(by);
  const inSpan = "started_at >= ?1 AND started_at < ?2 AND is_bot = 0";
  // Each window visitor's first session: min() picks the row its bare column comes from (SQLite's
  // rule for min/max), so one grouped join replaces a sorted lookup per visitor (bench/pipeline.mjs).
  const sql = col
    ? `WITH v AS (SELECT anonymous_id FROM sessions WHERE ${inSpan} GROUP BY anonymous_id),
       f AS (SELECT s.${col} AS key, min(s.started_at) FROM v JOIN sessions s ON s.anonymous_id = v.anonymous_id WHERE s.is_bot = 0 GROUP BY v.anonymous_id)
       SELECT key, count(*) AS n FROM f GROUP BY key`
    : `SELECT NULL AS key, count(DISTINCT anonymous_id) AS n FROM sessions WHERE ${inSpan}`;
  const { results } = await d1.prepare(sql).bind(span.from, span.to).all<{ key: string | null; n: number }>();
  return new Map(results.map((r) => [r.key, r.n]));
}

export interface LeadRow {
  person_id: string;
  /** first identified (people.first_seen) */
  at: string;
  /** first seen on any of the person's devices */
  since: string | null;
  key: string | null;
}

/** People identified for the first time in the span (by identify or a form's email). */
export async function leadsIn(d1: D1Database, span: Span, by: FirstTouchColumn | null): Promise<LeadRow[]> {
  const col = column(by);
  const key = col
    ? `(SELECT s.${col} FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id
        WHERE vi.person_id = p.id AND s.is_bot = 0 ORDER BY s.started_at, s.id LIMIT 1)`
    : "NULL";
  const { results } = await d1
    .prepare(
      `SELECT p.id AS person_id, p.first_seen AS at,
              (SELECT min(vi.first_seen) FROM visitor_identities vi WHERE vi.person_id = p.id) AS since,
              ${key} AS key
       FROM people p WHERE p.first_seen >= ?1 AND p.first_seen < ?2`,
    )
    .bind(span.from, span.to)
    .all<LeadRow>();
  return results;
}

export interface OpportunityRow {
  deal_id: string;
  account_id: number;
  at: string;
  /** the account's first lead: the first time any of its people was identified */
  since: string | null;
  key: string | null;
}

/** The account's first session in the lookback before `before` (an SQL expression), its `col`. */
const firstTouchBefore = (col: string, account: string, before: string, lookbackDays: number) =>
  `(SELECT s.${col} FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id
    WHERE vi.account_id = ${account} AND s.is_bot = 0
      AND s.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', ${before}, '-${lookbackDays} days') AND s.started_at <= ${before}
    ORDER BY s.started_at, s.id LIMIT 1)`;

/** Deals created in the span, any stage and currency. */
export async function opportunitiesIn(d1: D1Database, span: Span, by: FirstTouchColumn | null, lookbackDays: number): Promise<OpportunityRow[]> {
  const col = column(by);
  const { results } = await d1
    .prepare(
      `SELECT d.id AS deal_id, d.account_id, d.created_at AS at,
              (SELECT min(p.first_seen) FROM visitor_identities vi JOIN people p ON p.id = vi.person_id WHERE vi.account_id = d.account_id) AS since,
              ${col ? firstTouchBefore(col, "d.account_id", "d.created_at", Math.floor(lookbackDays)) : "NULL"} AS key
       FROM deals d WHERE d.created_at >= ?1 AND d.created_at < ?2`,
    )
    .bind(span.from, span.to)
    .all<OpportunityRow>();
  return results;
}

export interface CustomerRow {
  account_id: number;
  /** the account's first won deal closed */
  at: string;
  /** the account's first deal created */
  since: string | null;
  key: string | null;
}

/** Accounts whose first won deal (won, closed by `now`) closed in the span. */
export async function newCustomersIn(d1: D1Database, span: Span, now: string, by: FirstTouchColumn | null, lookbackDays: number): Promise<CustomerRow[]> {
  const col = column(by);
  const { results } = await d1
    .prepare(
      `WITH first AS (
         SELECT account_id, closed_at, created_at FROM (
           SELECT account_id, closed_at, created_at, row_number() OVER (PARTITION BY account_id ORDER BY closed_at, id) AS n
           FROM deals WHERE won = 1 AND closed_at <= ?3
         ) WHERE n = 1 AND closed_at >= ?1 AND closed_at < ?2
       )
       SELECT f.account_id, f.closed_at AS at,
              (SELECT min(d.created_at) FROM deals d WHERE d.account_id = f.account_id) AS since,
              ${col ? firstTouchBefore(col, "f.account_id", "coalesce(f.created_at, f.closed_at)", Math.floor(lookbackDays)) : "NULL"} AS key
       FROM first f`,
    )
    .bind(span.from, span.to, now)
    .all<CustomerRow>();
  return results;
}

/**
 * Only the four counts of the funnel (what the planner's measured rates need): each an index or
 * table count, with none of the per-unit reads the median days and first touches take.
 */
export async function stageCounts(d1: D1Database, span: Span, now: string): Promise<{ visitors: number; leads: number; opportunities: number; customers: number }> {
  const [v, l, o, c] = await d1.batch<{ n: number }>([
    d1.prepare("SELECT count(DISTINCT anonymous_id) AS n FROM sessions WHERE started_at >= ?1 AND started_at < ?2 AND is_bot = 0").bind(span.from, span.to),
    d1.prepare("SELECT count(*) AS n FROM people WHERE first_seen >= ?1 AND first_seen < ?2").bind(span.from, span.to),
    d1.prepare("SELECT count(*) AS n FROM deals WHERE created_at >= ?1 AND created_at < ?2").bind(span.from, span.to),
    d1
      .prepare(
        `SELECT count(*) AS n FROM (SELECT account_id FROM deals WHERE won = 1 AND closed_at <= ?3 GROUP BY account_id
         HAVING min(closed_at) >= ?1 AND min(closed_at) < ?2)`,
      )
      .bind(span.from, span.to, now),
  ]);
  const n = (r: D1Result<{ n: number }>) => r.results[0]?.n ?? 0;
  return { visitors: n(v), leads: n(l), opportunities: n(o), customers: n(c) };
}
