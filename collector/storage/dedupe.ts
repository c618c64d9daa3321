// Dedupe keys (SPEC §12): what D1 keeps of a message id once its event is in R2. A key is the
// first 80 bits of SHA-256(message_id) — with 100 million keys in the window, the chance that any
// two collide (and a new event is taken for a re-send) is about 4 in a billion — stored
// under the UTC day its first copy arrived, and dropped `dedupe_days` later by the retention job.
import { sha256Hex } from "../bytes";
import { jsonChunks } from "./db";

const DAY_MS = 86_400_000;

export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);

/** The stored key of a message id, as hex. */
export async function dedupeKey(messageId: string): Promise<string> {
  // 10 bytes: 20 hex digits.
  return (await sha256Hex(messageId)).slice(0, 20);
}

/**
 * The keys (hex) among `keys` first seen on one of the window's days (`today − windowDays` …
 * `today`). Each day is probed by primary key (day, k), so the cost is days × keys index searches.
 */
export async function seenKeys(d1: D1Database, keys: readonly string[], today: number, windowDays: number): Promise<Set<string>> {
  const days = Array.from({ length: windowDays + 1 }, (_, i) => today - i);
  const found = new Set<string>();
  for (const chunk of jsonChunks([...keys])) {
    const { results } = await d1
      .prepare(
        `SELECT lower(hex(k)) AS k FROM dedupe_keys
         WHERE day IN (SELECT value FROM json_each(?1)) AND k IN (SELECT unhex(value) FROM json_each(?2))`,
      )
      .bind(JSON.stringify(days), chunk)
      .all<{ k: string }>();
    for (const r of results) found.add(r.k);
  }
  return found;
}

export function insertDedupeKeys(d1: D1Database, day: number, keys: readonly string[]): D1PreparedStatement[] {
  return jsonChunks([...keys]).map((chunk) =>
    d1
      .prepare("INSERT INTO dedupe_keys (day, k) SELECT ?1, unhex(value) FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING")
      .bind(day, chunk),
  );
}

/** Drops the keys of days before `beforeDay` (a range of the primary key); answers how many. */
export async function purgeDedupeKeys(d1: D1Database, beforeDay: number): Promise<number> {
  const r = await d1.prepare("DELETE FROM dedupe_keys WHERE day < ?1").bind(beforeDay).run();
  return r.meta.changes ?? 0;
}
