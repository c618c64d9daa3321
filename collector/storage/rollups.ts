// Writes of the day rollups: increments from new events, and moves of a visitor's whole history
// from one account to another (retroactive resolution). Returned as statements for one batch.
import { jsonChunks } from "./db";

export interface Counters {
  page_views: number;
  high_intent_page_views: number;
  form_starts: number;
  form_submits: number;
  engaged_ms: number;
  events: number;
  sessions: number;
}

export const COUNTER_COLUMNS = ["page_views", "high_intent_page_views", "form_starts", "form_submits", "engaged_ms", "events", "sessions"] as const;

export interface VisitorDayDelta extends Counters {
  anonymous_id: string;
  day: string;
  account_id: number | null;
}

export interface AccountDayDelta extends Counters {
  account_id: number;
  day: string;
}

export interface Moment {
  anonymous_id: string;
  at: string;
  kind: "identify" | "group" | "form_start" | "form_submit" | "form_abandon";
  detail: string;
}

const cols = COUNTER_COLUMNS.join(", ");
const fromJson = COUNTER_COLUMNS.map((c) => `value ->> '${c}'`).join(", ");
const added = COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ");

/** Adds the deltas (negative ones too: a session re-cut or judged a bot takes back its counts), then drops emptied days. */
export function addVisitorDays(d1: D1Database, rows: VisitorDayDelta[]): D1PreparedStatement[] {
  return jsonChunks(rows).flatMap((chunk) => [
    d1
      .prepare(
        `INSERT INTO visitor_days (anonymous_id, day, account_id, ${cols})
         SELECT value ->> 'anonymous_id', value ->> 'day', value ->> 'account_id', ${fromJson}
         FROM json_each(?1) WHERE true
         ON CONFLICT (anonymous_id, day) DO UPDATE SET ${added}, account_id = excluded.account_id`,
      )
      .bind(chunk),
    d1
      .prepare(
        `DELETE FROM visitor_days WHERE (anonymous_id, day) IN (SELECT value ->> 'anonymous_id', value ->> 'day' FROM json_each(?1))
           AND events <= 0 AND sessions <= 0`,
      )
      .bind(chunk),
  ]);
}

export function addAccountDays(d1: D1Database, rows: AccountDayDelta[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO account_days (account_id, day, ${cols})
         SELECT value ->> 'account_id', value ->> 'day', ${fromJson} FROM json_each(?1) WHERE true
         ON CONFLICT (account_id, day) DO UPDATE SET ${added}`,
      )
      .bind(chunk),
  );
}

export function insertMoments(d1: D1Database, rows: Moment[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO visitor_moments (anonymous_id, at, kind, detail)
         SELECT value ->> 'anonymous_id', value ->> 'at', value ->> 'kind', value ->> 'detail' FROM json_each(?1) WHERE true
         ON CONFLICT DO NOTHING`,
      )
      .bind(chunk),
  );
}

/** A visitor whose whole history now counts for `to` (null: unresolved). */
export interface Move {
  anonymous_id: string;
  to: number | null;
}

/**
 * Moves each visitor's day rollups to its new account: subtract from whatever account they are
 * stored under, add to the new one, retag them, then drop account days left empty. Set-based, so
 * the cost is one index search per moved visitor plus its days, all inside the caller's batch.
 */
export function moveVisitors(d1: D1Database, moves: Move[], fromAccounts: number[]): D1PreparedStatement[] {
  if (moves.length === 0) return [];
  const negated = COUNTER_COLUMNS.map((c) => `-vd.${c}`).join(", ");
  const plain = COUNTER_COLUMNS.map((c) => `vd.${c}`).join(", ");
  const out: D1PreparedStatement[] = [];
  for (const chunk of jsonChunks(moves)) {
    out.push(
      d1
        .prepare(
          `INSERT INTO account_days (account_id, day, ${cols})
           SELECT vd.account_id, vd.day, ${negated} FROM visitor_days vd
           WHERE vd.anonymous_id IN (SELECT value ->> 'anonymous_id' FROM json_each(?1)) AND vd.account_id IS NOT NULL
           ON CONFLICT (account_id, day) DO UPDATE SET ${added}`,
        )
        .bind(chunk),
      d1
        .prepare(
          `INSERT INTO account_days (account_id, day, ${cols})
           SELECT m.value ->> 'to', vd.day, ${plain} FROM json_each(?1) m
           JOIN visitor_days vd ON vd.anonymous_id = m.value ->> 'anonymous_id'
           WHERE m.value ->> 'to' IS NOT NULL
           ON CONFLICT (account_id, day) DO UPDATE SET ${added}`,
        )
        .bind(chunk),
      d1
        .prepare(
          `UPDATE visitor_days SET account_id = m.value ->> 'to' FROM json_each(?1) m
           WHERE visitor_days.anonymous_id = m.value ->> 'anonymous_id'`,
        )
        .bind(chunk),
    );
  }
  for (const chunk of jsonChunks(fromAccounts)) {
    out.push(
      d1
        .prepare("DELETE FROM account_days WHERE account_id IN (SELECT value FROM json_each(?1)) AND events <= 0 AND sessions <= 0")
        .bind(chunk),
    );
  }
  return out;
}
