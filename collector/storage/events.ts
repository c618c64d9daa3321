// Reads of the event log for export and inspection.

export interface EventPage {
  /** NDJSON lines: each the stored event (EnrichedEvent + session_id) */
  lines: string[];
  /** the cursor to pass next time: the seq of the last row, or the one given when empty */
  next: number;
}

/**
 * Events after `since` in seq order: a cursor never skips or repeats (see schema/core.ts).
 * Each row carries `account_domain`: the visitor's account as resolved now (retroactive, so an
 * event exported before its visitor resolved has none, one exported after has it).
 */
export async function eventsAfter(d1: D1Database, since: number, limit: number): Promise<EventPage> {
  const { results } = await d1
    .prepare(
      `SELECT e.seq, json_set(e.data, '$.account_domain', a.domain) AS data FROM events e
       LEFT JOIN visitor_identities vi ON vi.anonymous_id = e.anonymous_id
       LEFT JOIN accounts a ON a.id = vi.account_id
       WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2`,
    )
    .bind(since, limit)
    .all<{ seq: number; data: string }>();
  return { lines: results.map((r) => r.data), next: results.length ? results[results.length - 1].seq : since };
}

export interface RejectRow {
  seq: number;
  reject_id: string;
  site_id: string | null;
  received_at: string;
  code: string;
  reason: string;
  payload: string;
}

/** Newest first; `before` pages back. */
export async function rejectsBefore(d1: D1Database, before: number | null, limit: number): Promise<RejectRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT seq, reject_id, site_id, received_at, code, reason, payload FROM rejects
       WHERE ?1 IS NULL OR seq < ?1 ORDER BY seq DESC LIMIT ?2`,
    )
    .bind(before, limit)
    .all<RejectRow>();
  return results;
}
