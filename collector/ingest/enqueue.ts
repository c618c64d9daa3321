import type { EnrichedEvent, QueueMessageBody, RejectedEvent } from "../events";

// Queue limits: 128 KB per message, 100 messages / 256 KB per sendBatch.
// https://developers.cloudflare.com/queues/platform/limits/
const MAX_MESSAGE_BYTES = 100 * 1024;
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 240 * 1024;

/** Packs a request's events into as few queue messages as fit (cost is per message). */
export function packMessages(events: EnrichedEvent[], rejects: RejectedEvent[]): { body: QueueMessageBody; bytes: number }[] {
  const out: { body: QueueMessageBody; bytes: number }[] = [];
  let current: QueueMessageBody = { v: 1, events: [], rejects: [] };
  let bytes = 32;
  const push = (item: EnrichedEvent | RejectedEvent, kind: "events" | "rejects") => {
    const size = JSON.stringify(item).length + 1;
    if (bytes + size > MAX_MESSAGE_BYTES && (current.events.length || current.rejects.length)) {
      out.push({ body: current, bytes });
      current = { v: 1, events: [], rejects: [] };
      bytes = 32;
    }
    (current[kind] as (typeof item)[]).push(item);
    bytes += size;
  };
  for (const e of events) push(e, "events");
  for (const r of rejects) push(r, "rejects");
  if (current.events.length || current.rejects.length) out.push({ body: current, bytes });
  return out;
}

/**
 * Puts the events on the queue and resolves only once the queue has them: the caller
 * answers 200 after this, so a 200 means durable (never waitUntil for this).
 */
export async function enqueue(queue: Queue, events: EnrichedEvent[], rejects: RejectedEvent[]): Promise<void> {
  const messages = packMessages(events, rejects);
  if (messages.length === 1) {
    await queue.send(messages[0].body, { contentType: "json" });
    return;
  }
  let batch: MessageSendRequest[] = [];
  let batchBytes = 0;
  for (const m of messages) {
    if (batch.length === MAX_BATCH_MESSAGES || batchBytes + m.bytes > MAX_BATCH_BYTES) {
      await queue.sendBatch(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push({ body: m.body, contentType: "json" });
    batchBytes += m.bytes;
  }
  if (batch.length) await queue.sendBatch(batch);
}
