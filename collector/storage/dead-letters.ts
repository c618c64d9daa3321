import type { QueueMessageBody } from "../events";

export async function parkDeadLetter(d1: D1Database, id: string, attempts: number, body: QueueMessageBody): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO dead_letters (id, parked_at, attempts, body) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(id, new Date().toISOString(), attempts, JSON.stringify(body))
    .run();
}

export async function pendingDeadLetters(d1: D1Database, limit: number): Promise<{ id: string; body: QueueMessageBody }[]> {
  const { results } = await d1
    .prepare("SELECT id, body FROM dead_letters WHERE replayed_at IS NULL ORDER BY parked_at LIMIT ?1")
    .bind(limit)
    .all<{ id: string; body: string }>();
  return results.map((r) => ({ id: r.id, body: JSON.parse(r.body) as QueueMessageBody }));
}

export async function markReplayed(d1: D1Database, ids: string[], at: string): Promise<void> {
  await d1
    .prepare("UPDATE dead_letters SET replayed_at = ?1 WHERE id IN (SELECT value FROM json_each(?2))")
    .bind(at, JSON.stringify(ids))
    .run();
}

export async function countDeadLetters(d1: D1Database): Promise<{ pending: number; replayed: number }> {
  const row = await d1
    .prepare("SELECT sum(replayed_at IS NULL) AS pending, sum(replayed_at IS NOT NULL) AS replayed FROM dead_letters")
    .first<{ pending: number | null; replayed: number | null }>();
  return { pending: row?.pending ?? 0, replayed: row?.replayed ?? 0 };
}
