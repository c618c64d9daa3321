// An erased person's D1 state (SPEC §13): their visitors' sessions, moments, identities and day
// rollups, their people rows and the alert deliveries that named them, removed in one transaction with what they counted for their
// accounts subtracted and those accounts' running sums (the score) refreshed. The transaction
// carries the identity epoch guard: a consumer batch committed since the reads fails it (the
// task is retried) instead of being half undone.
import { guardIdentityEpoch, readIdentityEpoch } from "./identity-epoch";
import { jsonChunks } from "./db";
import { saveTask } from "./erasure-tasks";
import { recordState } from "./privacy";
import { moveVisitors } from "./rollups";
import { refreshRunningSums, type Touched } from "./rollups-running";

export interface RemovedState {
  visitors: number;
  people: number;
  sessions: number;
}

async function countIn(d1: D1Database, table: string, column: string, values: readonly string[]): Promise<number> {
  let n = 0;
  for (const chunk of jsonChunks([...values])) {
    const r = await d1.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?1))`).bind(chunk).first<{ n: number }>();
    n += r?.n ?? 0;
  }
  return n;
}

/** Accounts the visitors' days count for, each from its first such day. */
async function accountsOf(d1: D1Database, visitors: readonly string[]): Promise<Touched[]> {
  const out = new Map<number, string>();
  for (const chunk of jsonChunks([...visitors])) {
    const { results } = await d1
      .prepare(
        `SELECT account_id, min(day) AS day FROM visitor_days
         WHERE anonymous_id IN (SELECT value FROM json_each(?1)) AND account_id IS NOT NULL GROUP BY account_id`,
      )
      .bind(chunk)
      .all<{ account_id: number; day: string }>();
    for (const r of results) {
      const known = out.get(r.account_id);
      out.set(r.account_id, known !== undefined && known < r.day ? known : r.day);
    }
  }
  return [...out].map(([account_id, from]) => ({ account_id, from }));
}

/**
 * Removes the state of `visitors` (anonymous ids, and `u:<userId>` for backend users) and of the
 * `people` rows, and marks the erasure's `d1` task done, in one batch. Run again it finds nothing
 * (the counts it records are what this run removed, so the task is skipped once done).
 */
export async function removePersonState(d1: D1Database, erasureId: string, visitors: readonly string[], people: readonly string[], now: string): Promise<RemovedState> {
  const epoch = await readIdentityEpoch(d1);
  const [identities, persons, sessions, touched] = await Promise.all([
    countIn(d1, "visitor_identities", "anonymous_id", visitors),
    countIn(d1, "people", "id", people),
    countIn(d1, "sessions", "anonymous_id", visitors),
    accountsOf(d1, visitors),
  ]);
  const removed = { visitors: identities, people: persons, sessions };
  const del = (table: string, column: string, values: readonly string[]) =>
    jsonChunks([...values]).map((chunk) => d1.prepare(`DELETE FROM ${table} WHERE ${column} IN (SELECT value FROM json_each(?1))`).bind(chunk));
  await d1.batch([
    ...guardIdentityEpoch(d1, epoch, now),
    // What their days counted leaves their accounts' days (emptied days go), then the days themselves.
    ...moveVisitors(d1, visitors.map((anonymous_id) => ({ anonymous_id, to: null })), touched.map((t) => t.account_id)),
    ...del("visitor_days", "anonymous_id", visitors),
    ...del("sessions", "anonymous_id", visitors),
    ...del("visitor_moments", "anonymous_id", visitors),
    ...del("visitor_identities", "anonymous_id", visitors),
    ...del("people", "id", people),
    // Alerts that named them (a delivery keeps what fired it and the body sent): gone too.
    ...jsonChunks([...visitors, ...people]).map((chunk) =>
      d1
        .prepare(
          `DELETE FROM alert_deliveries WHERE EXISTS (SELECT 1 FROM json_each(?1) v
             WHERE instr(alert_deliveries.detail, v.value) > 0 OR instr(coalesce(alert_deliveries.body, ''), v.value) > 0)`,
        )
        .bind(chunk),
    ),
    ...refreshRunningSums(d1, touched),
    recordState(d1, erasureId, removed),
    saveTask(d1, erasureId, "d1", null, true, now),
  ]);
  return removed;
}
