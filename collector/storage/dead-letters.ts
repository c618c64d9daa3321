// Dead letters (SPEC §8, §12): queue messages past their retries, parked in R2 — not D1 — so
// parking works while D1 is down or full. One object per message under dead/pending/; a replayed
// one moves to dead/replayed/. Replay re-queues the body; the consumer's dedupe keeps it exactly once.
import type { QueueMessageBody } from "../events";

const PENDING = "dead/pending/";
const REPLAYED = "dead/replayed/";

interface Parked {
  id: string;
  attempts: number;
  parked_at: string;
  replayed_at?: string;
  body: QueueMessageBody;
}

/** Queue message ids are hex; anything else is made safe for a key. */
const keyOf = (prefix: string, id: string) => `${prefix}${id.replace(/[^A-Za-z0-9_-]/g, "_")}.json`;

export async function parkDeadLetter(bucket: R2Bucket, id: string, attempts: number, body: QueueMessageBody): Promise<void> {
  const parked: Parked = { id, attempts, parked_at: new Date().toISOString(), body };
  await bucket.put(keyOf(PENDING, id), JSON.stringify(parked), { httpMetadata: { contentType: "application/json" } });
}

export async function pendingDeadLetters(bucket: R2Bucket, limit: number): Promise<{ id: string; body: QueueMessageBody }[]> {
  const listed = await bucket.list({ prefix: PENDING, limit });
  const out: { id: string; body: QueueMessageBody }[] = [];
  for (const o of listed.objects) {
    const obj = await bucket.get(o.key);
    if (!obj) continue;
    const parked = JSON.parse(await obj.text()) as Parked;
    out.push({ id: parked.id, body: parked.body });
  }
  return out;
}

/** Moves replayed messages from pending to replayed (the body is kept for inspection). */
export async function markReplayed(bucket: R2Bucket, ids: readonly string[], at: string): Promise<void> {
  for (const id of ids) {
    const obj = await bucket.get(keyOf(PENDING, id));
    if (!obj) continue;
    const parked = JSON.parse(await obj.text()) as Parked;
    await bucket.put(keyOf(REPLAYED, id), JSON.stringify({ ...parked, replayed_at: at }), { httpMetadata: { contentType: "application/json" } });
    await bucket.delete(keyOf(PENDING, id));
  }
}

async function count(bucket: R2Bucket, prefix: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    n += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return n;
}

export async function countDeadLetters(bucket: R2Bucket): Promise<{ pending: number; replayed: number }> {
  const [pending, replayed] = await Promise.all([count(bucket, PENDING), count(bucket, REPLAYED)]);
  return { pending, replayed };
}
