// The raw archive in R2 (SPEC §7, §12) and its ledger in D1. Each consumer batch writes its new
// events as one NDJSON object per receive date, each line carrying its `seq`, BEFORE its D1
// transaction, and lists the object in `archive_objects` IN that transaction. So:
// - an object the ledger lists holds committed events, each exactly once across listed objects;
// - an object it does not list (its batch failed, or the Worker died in between) does not exist
//   for any reader, and the retention job deletes it once it is an hour old;
// - a retried batch starts at the same seq, so it writes the same key again instead of a new one.

export type Stream = "raw" | "rejects";

export interface LedgerRow {
  stream: Stream;
  first_seq: number;
  last_seq: number;
  dt: string;
  rows: number;
  /** newest event time in the object, epoch seconds */
  max_ts: number;
  /** commit time, epoch seconds */
  at: number;
}

const pad = (n: number) => String(n).padStart(12, "0");

/** raw/dt=2026-11-20/000000004812.ndjson: the stream, the receive date and the first seq. */
export function archiveKey(stream: Stream, dt: string, firstSeq: number): string {
  return `${stream}/dt=${dt}/${pad(firstSeq)}.ndjson`;
}

export const keyOf = (r: Pick<LedgerRow, "stream" | "dt" | "first_seq">) => archiveKey(r.stream, r.dt, r.first_seq);

export async function putArchiveObject(bucket: R2Bucket, key: string, lines: readonly string[]): Promise<void> {
  await bucket.put(key, lines.join("\n") + "\n", { httpMetadata: { contentType: "application/x-ndjson" } });
}

/** The lines of one listed object, parsed; an object the ledger lists but R2 lacks is an error. */
export async function readArchiveObject<T>(bucket: R2Bucket, row: LedgerRow): Promise<T[]> {
  const obj = await bucket.get(keyOf(row));
  if (!obj) throw new Error(`archive object ${keyOf(row)} is listed in the ledger but missing from R2`);
  const text = await obj.text();
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as T);
}

/** `ignoreListed`: a row already listed stays (two upgrade runs moving the same rows). */
export function ledgerInserts(d1: D1Database, rows: readonly LedgerRow[], ignoreListed = false): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  return [
    d1
      .prepare(
        `INSERT INTO archive_objects (stream, first_seq, last_seq, dt, rows, max_ts, at)
         SELECT value ->> 'stream', value ->> 'first_seq', value ->> 'last_seq', value ->> 'dt', value ->> 'rows',
                value ->> 'max_ts', value ->> 'at'
         FROM json_each(?1) WHERE true${ignoreListed ? " ON CONFLICT DO NOTHING" : ""}`,
      )
      .bind(JSON.stringify(rows)),
  ];
}

const COLUMNS = "stream, first_seq, last_seq, dt, rows, max_ts, at";

/** Listed objects holding seqs above `after`, oldest first. */
export async function ledgerAfter(d1: D1Database, stream: Stream, after: number, limit: number): Promise<LedgerRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM archive_objects WHERE stream = ?1 AND last_seq > ?2 ORDER BY first_seq LIMIT ?3`)
    .bind(stream, after, limit)
    .all<LedgerRow>();
  return results;
}

/** Listed objects holding seqs below `before` (null: the newest), newest first. */
export async function ledgerBefore(d1: D1Database, stream: Stream, before: number | null, limit: number): Promise<LedgerRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM archive_objects WHERE stream = ?1 AND (?2 IS NULL OR first_seq < ?2) ORDER BY first_seq DESC LIMIT ?3`)
    .bind(stream, before, limit)
    .all<LedgerRow>();
  return results;
}

/** Which of these objects the ledger lists (by key). */
export async function listedKeys(d1: D1Database, rows: readonly Pick<LedgerRow, "stream" | "first_seq">[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { results } = await d1
    .prepare(
      `SELECT a.stream, a.first_seq, a.dt FROM archive_objects a JOIN json_each(?1) j
       ON a.stream = j.value ->> 'stream' AND a.first_seq = j.value ->> 'first_seq'`,
    )
    .bind(JSON.stringify(rows.map((r) => ({ stream: r.stream, first_seq: r.first_seq }))))
    .all<LedgerRow>();
  return new Set(results.map(keyOf));
}

/** Listed objects whose newest event is older than `maxTs` (epoch seconds), oldest first. */
export async function ledgerOlderThan(d1: D1Database, stream: Stream, maxTs: number, limit: number): Promise<LedgerRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM archive_objects WHERE stream = ?1 AND max_ts < ?2 ORDER BY first_seq LIMIT ?3`)
    .bind(stream, maxTs, limit)
    .all<LedgerRow>();
  return results;
}

export function ledgerDeletes(d1: D1Database, rows: readonly LedgerRow[]): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  return [
    d1
      .prepare(
        `DELETE FROM archive_objects WHERE (stream, first_seq) IN
           (SELECT value ->> 'stream', value ->> 'first_seq' FROM json_each(?1))`,
      )
      .bind(JSON.stringify(rows.map((r) => ({ stream: r.stream, first_seq: r.first_seq })))),
  ];
}

/** The row count of one listed object after an erasure rewrote it. */
export function ledgerSetRows(d1: D1Database, row: LedgerRow, rows: number): D1PreparedStatement {
  return d1.prepare("UPDATE archive_objects SET rows = ?3 WHERE stream = ?1 AND first_seq = ?2").bind(row.stream, row.first_seq, rows);
}

/** Events committed since `sinceSec` (epoch seconds). */
export async function rowsSince(d1: D1Database, stream: Stream, sinceSec: number): Promise<number> {
  const r = await d1.prepare("SELECT coalesce(sum(rows), 0) AS n FROM archive_objects WHERE stream = ?1 AND at >= ?2").bind(stream, sinceSec).first<{ n: number }>();
  return r?.n ?? 0;
}

/**
 * Objects under `stream/dt=<dt>/` that the ledger does not list and that are older than
 * `olderThanMs` (a batch between its R2 write and its commit is younger): left by failed batches.
 */
export async function unlistedObjects(d1: D1Database, bucket: R2Bucket, stream: Stream, dt: string, olderThanMs: number): Promise<string[]> {
  const shape = new RegExp(`^${stream}/dt=${dt}/(\\d{12})\\.ndjson$`);
  const candidates: { key: string; first_seq: number }[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${stream}/dt=${dt}/`, cursor, limit: 1000 });
    for (const o of page.objects) {
      const m = shape.exec(o.key);
      if (m && o.uploaded.getTime() < olderThanMs) candidates.push({ key: o.key, first_seq: Number(m[1]) });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const listed = new Set<string>();
  for (let i = 0; i < candidates.length; i += 500) {
    for (const k of await listedKeys(d1, candidates.slice(i, i + 500).map((c) => ({ stream, first_seq: c.first_seq })))) listed.add(k);
  }
  return candidates.map((c) => c.key).filter((k) => !listed.has(k));
}
