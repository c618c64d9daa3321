// The upgrade from the first version, which kept every event in D1 (SPEC §12 forbids it now).
// Migration 0004 renames those tables to legacy_events, legacy_rejects and legacy_dead_letters and
// sets `legacy:pending`; from then on the consumer, the export and the scheduled job move their rows
// to R2 a chunk at a time — each chunk as ledgered archive objects under the rows' own seqs (so
// export cursors and Parquet parts written before the upgrade stay valid), with their dedupe keys,
// deleting the rows in the same transaction — and drop the tables once they are empty. This module
// is the only code that reads a raw event table (test/worker/no-raw-reads.test.ts checks).
import type { Env } from "../env";
import type { QueueMessageBody } from "../events";
import { archiveKey, ledgerInserts, putArchiveObject, type LedgerRow, type Stream } from "./archive";
import { parkDeadLetter } from "./dead-letters";
import { dayNumber, dedupeKey, insertDedupeKeys } from "./dedupe";
import { jsonChunks } from "./db";
import { readRetention } from "./retention";
import { readSetting } from "./settings";

const FLAG = "legacy:pending";
const CHUNK = 2_000;

const pending = async (d1: D1Database) => (await readSetting(d1, FLAG)) === "1";

/** Message ids among these still in the first version's event table (counted once like any other). */
export async function legacySeen(d1: D1Database, messageIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (messageIds.length === 0 || !(await pending(d1))) return out;
  for (const chunk of jsonChunks([...messageIds])) {
    const { results } = await d1
      .prepare("SELECT message_id FROM legacy_events WHERE message_id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ message_id: string }>();
    for (const r of results) out.add(r.message_id);
  }
  return out;
}

/**
 * The lowest seq not moved yet (null when the upgrade is done). Readers of the archive stop below
 * it: everything after the upgrade has higher seqs, so nothing is read out of order or skipped.
 */
export async function legacyFloor(d1: D1Database, stream: Stream): Promise<number | null> {
  if (!(await pending(d1))) return null;
  const table = stream === "raw" ? "legacy_events" : "legacy_rejects";
  const row = await d1.prepare(`SELECT min(seq) AS seq FROM ${table}`).first<{ seq: number | null }>();
  return row?.seq ?? null;
}

interface LegacyRow {
  seq: number;
  data: string;
  received_at: string;
  timestamp: string;
}

/** Moves one chunk of each legacy table; answers whether anything is left. Safe to run twice at once. */
export async function moveLegacyChunk(env: Pick<Env, "DB" | "ARCHIVE">): Promise<boolean> {
  const d1 = env.DB;
  if (!(await pending(d1))) return false;
  const retention = await readRetention(d1);
  const today = dayNumber(Date.now());
  const [events, rejects, dead] = await d1.batch<LegacyRow & { id: string; attempts: number; body: string }>([
    d1.prepare("SELECT seq, data, received_at, timestamp FROM legacy_events ORDER BY seq LIMIT ?1").bind(CHUNK),
    d1.prepare(
      `SELECT seq, json_object('reject_id', reject_id, 'site_id', site_id, 'received_at', received_at, 'code', code,
              'reason', reason, 'payload', payload) AS data, received_at, received_at AS timestamp
       FROM legacy_rejects ORDER BY seq LIMIT ?1`,
    ).bind(CHUNK),
    d1.prepare("SELECT id, attempts, body FROM legacy_dead_letters WHERE replayed_at IS NULL LIMIT 100"),
  ]);
  if (events.results.length === 0 && rejects.results.length === 0 && dead.results.length === 0) {
    await d1.batch([
      d1.prepare("DROP TABLE IF EXISTS legacy_events"),
      d1.prepare("DROP TABLE IF EXISTS legacy_rejects"),
      d1.prepare("DROP TABLE IF EXISTS legacy_dead_letters"),
      d1.prepare("UPDATE settings SET value = '0' WHERE key = ?1").bind(FLAG),
    ]);
    return false;
  }
  for (const d of dead.results) await parkDeadLetter(env.ARCHIVE, `legacy-${d.id}`, d.attempts, JSON.parse(d.body) as QueueMessageBody);

  const statements: D1PreparedStatement[] = [];
  const at = Math.floor(Date.now() / 1000);
  for (const [stream, rows] of [["raw", events.results], ["rejects", rejects.results]] as const) {
    const ledger: LedgerRow[] = [];
    for (const run of runsByDate(rows)) {
      const first = run[0].seq;
      const lines = run.map((r) => JSON.stringify({ ...(JSON.parse(r.data) as object), seq: r.seq }));
      await putArchiveObject(env.ARCHIVE, archiveKey(stream, run[0].received_at.slice(0, 10), first), lines);
      ledger.push({ stream, first_seq: first, last_seq: run[run.length - 1].seq, dt: run[0].received_at.slice(0, 10), rows: run.length, max_ts: Math.floor(Math.max(...run.map((r) => Date.parse(r.timestamp))) / 1000), at });
    }
    statements.push(...ledgerInserts(d1, ledger, true));
    if (rows.length) statements.push(d1.prepare(`DELETE FROM ${stream === "raw" ? "legacy_events" : "legacy_rejects"} WHERE seq <= ?1`).bind(rows[rows.length - 1].seq));
  }
  // Re-sends of moved events inside the dedupe window still count once.
  const byDay = new Map<number, string[]>();
  for (const e of events.results) {
    const day = dayNumber(Date.parse(e.received_at));
    if (day < today - retention.dedupe_days) continue;
    const id = (JSON.parse(e.data) as { message_id: string }).message_id;
    byDay.set(day, [...(byDay.get(day) ?? []), await dedupeKey(id)]);
  }
  for (const [day, keys] of byDay) statements.push(...insertDedupeKeys(d1, day, keys));
  if (dead.results.length) statements.push(d1.prepare("DELETE FROM legacy_dead_letters WHERE id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(dead.results.map((d) => d.id))));
  await d1.batch(statements);
  return true;
}

/** Consecutive rows (in seq order) with the same receive date: one archive object each. */
function runsByDate<R extends { received_at: string }>(rows: readonly R[]): R[][] {
  const out: R[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0].received_at.slice(0, 10) === r.received_at.slice(0, 10)) last.push(r);
    else out.push([r]);
  }
  return out;
}
