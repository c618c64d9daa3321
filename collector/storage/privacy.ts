// The erasure log, the identifiers a running erasure matches, what it removed, and the
// suppression list (schema/privacy.ts; its tasks are in erasure-tasks.ts). Writes are returned as statements where they must commit
// with other writes (a POST's erasure with its suppressions; a task's progress with its result).
import { jsonChunks } from "./db";
import { insertTasks } from "./erasure-tasks";

/** The kinds of identifier an erasure finds and the suppression list keys. */
export type KeyKind = "anonymous_id" | "user_id" | "email_hash";

/** One identifier as stored: a visitor's anonymous id, a user id, an email's keyed hash. */
export interface Identifier {
  kind: KeyKind;
  value: string;
}

export type ErasureKind = "email" | "user_id" | "anonymous_id";

export interface ErasureRow {
  id: string;
  status: "running" | "done";
  key_kind: ErasureKind;
  requested_by: string;
  requested_at: string;
  finished_at: string | null;
  visitors: number;
  people: number;
  sessions: number;
  suppressed: number;
  events: number;
  rejects: number;
  raw_files: number;
  parquet_files: number;
  parquet_rows: number;
  dead_letters: number;
}

/** What an object's rewrite removed: raw and rejects are NDJSON lines, parquet rows, dead events of parked messages. */
export type FileKind = "raw" | "rejects" | "parquet" | "dead";

/** A suppression entry: the keyed hash of `<kind>:<value>`, never the value. */
export interface Suppression {
  token: string;
  kind: KeyKind;
}

const VERSION_KEY = "suppressions:version";
const ROW = `id, status, key_kind, requested_by, requested_at, finished_at, visitors, people, sessions, suppressed, events, rejects,
  raw_files, parquet_files, parquet_rows, dead_letters`;

/** Bumped whenever the list changes, so every isolate's cached copy is re-read (privacy/suppression.ts). */
export function bumpSuppressionVersion(d1: D1Database, now: string): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?1, '1', ?2)
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1, updated_at = excluded.updated_at`,
    )
    .bind(VERSION_KEY, now);
}

export function insertSuppressions(d1: D1Database, erasureId: string, rows: readonly Suppression[], now: string): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  // An identifier already listed keeps the erasure that listed it first.
  return [
    ...jsonChunks([...rows]).map((chunk) =>
      d1
        .prepare(
          `INSERT INTO suppressions (token, erasure_id, kind, created_at)
           SELECT value ->> 'token', ?2, value ->> 'kind', ?3 FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING`,
        )
        .bind(chunk, erasureId, now),
    ),
    bumpSuppressionVersion(d1, now),
  ];
}

/** A new erasure: its log row, the identifiers it matches, its suppressions and its first task — one transaction. */
export function insertErasure(
  d1: D1Database,
  row: Pick<ErasureRow, "id" | "key_kind" | "requested_by" | "requested_at">,
  keys: readonly Identifier[],
  suppressions: readonly Suppression[],
): D1PreparedStatement[] {
  return [
    d1
      .prepare("INSERT INTO erasures (id, status, key_kind, requested_by, requested_at) VALUES (?1, 'running', ?2, ?3, ?4)")
      .bind(row.id, row.key_kind, row.requested_by, row.requested_at),
    ...jsonChunks([...keys]).map((chunk) =>
      d1
        .prepare(
          `INSERT INTO erasure_keys (erasure_id, kind, value)
           SELECT ?2, value ->> 'kind', value ->> 'value' FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING`,
        )
        .bind(chunk, row.id),
    ),
    ...insertSuppressions(d1, row.id, suppressions, row.requested_at),
    insertTasks(d1, row.id, ["plan"], row.requested_at),
  ];
}

export async function readErasure(d1: D1Database, id: string): Promise<ErasureRow | null> {
  return d1.prepare(`SELECT ${ROW} FROM erasures WHERE id = ?1`).bind(id).first<ErasureRow>();
}

/** Newest first; `before` is the id of the last row of the previous page. */
export async function listErasures(d1: D1Database, limit: number, before: string | null): Promise<ErasureRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT ${ROW} FROM erasures
       WHERE ?1 IS NULL OR (requested_at, id) < (SELECT requested_at, id FROM erasures WHERE id = ?1)
       ORDER BY requested_at DESC, id DESC LIMIT ?2`,
    )
    .bind(before, limit)
    .all<ErasureRow>();
  return results;
}

export async function runningErasures(d1: D1Database, limit: number): Promise<string[]> {
  const { results } = await d1.prepare("SELECT id FROM erasures WHERE status = 'running' ORDER BY requested_at LIMIT ?1").bind(limit).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** The identifiers one erasure matches, or (no id) those of every running erasure. */
export async function erasureKeys(d1: D1Database, erasureId?: string): Promise<Identifier[]> {
  const { results } = erasureId
    ? await d1.prepare("SELECT kind, value FROM erasure_keys WHERE erasure_id = ?1").bind(erasureId).all<Identifier>()
    : await d1.prepare("SELECT kind, value FROM erasure_keys").all<Identifier>();
  return results;
}

export async function suppressionVersion(d1: D1Database): Promise<number> {
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(VERSION_KEY).first<{ value: string }>();
  return row ? Number(row.value) : 0;
}

export async function suppressionTokens(d1: D1Database): Promise<{ token: string; erasure_id: string }[]> {
  const { results } = await d1.prepare("SELECT token, erasure_id FROM suppressions").all<{ token: string; erasure_id: string }>();
  return results;
}

/** Later events dropped for each erasure, counted in the consumer's transaction. */
export function addSuppressed(d1: D1Database, counts: ReadonlyMap<string, number>): D1PreparedStatement[] {
  if (counts.size === 0) return [];
  return [
    d1
      .prepare(
        `UPDATE erasures SET suppressed = suppressed + c.value ->> 'n'
         FROM json_each(?1) c WHERE erasures.id = c.value ->> 'id'`,
      )
      .bind(JSON.stringify([...counts].map(([id, n]) => ({ id, n })))),
  ];
}

// What was removed.

/** Recorded before the object is rewritten: a retry computes the same count and overwrites it. */
export function recordFile(d1: D1Database, erasureId: string, key: string, kind: FileKind, removed: number): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO erasure_files (erasure_id, key, kind, removed) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (erasure_id, key) DO UPDATE SET removed = excluded.removed`,
    )
    .bind(erasureId, key, kind, removed);
}

export interface FileTotals {
  erasure_id: string;
  kind: FileKind;
  files: number;
  removed: number;
}

export async function fileTotals(d1: D1Database, ids: readonly string[]): Promise<FileTotals[]> {
  const { results } = await d1
    .prepare(
      `SELECT erasure_id, kind, count(*) AS files, sum(removed) AS removed FROM erasure_files
       WHERE erasure_id IN (SELECT value FROM json_each(?1)) GROUP BY erasure_id, kind`,
    )
    .bind(JSON.stringify(ids))
    .all<FileTotals>();
  return results;
}

export async function parquetKeysOf(d1: D1Database, erasureId: string): Promise<string[]> {
  const { results } = await d1.prepare("SELECT key FROM erasure_files WHERE erasure_id = ?1 AND kind = 'parquet' ORDER BY key").bind(erasureId).all<{ key: string }>();
  return results.map((r) => r.key);
}

/** The D1 part's counts, committed with its removals and its task. */
export function recordState(d1: D1Database, erasureId: string, counts: { visitors: number; people: number; sessions: number }): D1PreparedStatement {
  return d1
    .prepare("UPDATE erasures SET visitors = ?2, people = ?3, sessions = ?4 WHERE id = ?1")
    .bind(erasureId, counts.visitors, counts.people, counts.sessions);
}

/**
 * Done: the totals fold into the log row, the identifiers in clear and the tasks go, and only
 * the Parquet keys stay (what a warehouse must reload). The suppression list stays.
 */
export function finishErasure(d1: D1Database, erasureId: string, now: string): D1PreparedStatement[] {
  const total = (kind: FileKind, what: "count(*)" | "sum(removed)") =>
    `coalesce((SELECT ${what} FROM erasure_files WHERE erasure_id = ?1 AND kind = '${kind}'), 0)`;
  return [
    d1
      .prepare(
        `UPDATE erasures SET status = 'done', finished_at = ?2,
           events = ${total("raw", "sum(removed)")}, rejects = ${total("rejects", "sum(removed)")},
           raw_files = ${total("raw", "count(*)")} + ${total("rejects", "count(*)")},
           parquet_files = ${total("parquet", "count(*)")}, parquet_rows = ${total("parquet", "sum(removed)")},
           dead_letters = ${total("dead", "count(*)")}
         WHERE id = ?1 AND status = 'running'`,
      )
      .bind(erasureId, now),
    d1.prepare("DELETE FROM erasure_keys WHERE erasure_id = ?1").bind(erasureId),
    d1.prepare("DELETE FROM erasure_tasks WHERE erasure_id = ?1").bind(erasureId),
    d1.prepare("DELETE FROM erasure_files WHERE erasure_id = ?1 AND kind <> 'parquet'").bind(erasureId),
  ];
}
