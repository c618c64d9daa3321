import { utf8Bytes } from "../bytes";
import type { EnrichedEvent, RejectedEvent } from "../events";

// Queue limits: 128 KB per message, 100 messages / 256 KB per sendBatch.
// https://developers.cloudflare.com/queues/platform/limits/
const MAX_MESSAGE_BYTES = 100 * 1024;
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 240 * 1024;

/**
 * Packs a request's events into as few queue messages as fit (cost is per message), each a
 * QueueMessageBody already serialized: every event is stringified once, to measure it and to
 * send it (the consumer parses the text back, see pipeline/consumer.ts).
 */
export function packMessages(events: EnrichedEvent[], rejects: RejectedEvent[]): { text: string; bytes: number }[] {
  const out: { text: string; bytes: number }[] = [];
  let parts: { events: string[]; rejects: string[] } = { events: [], rejects: [] };
  let bytes = 32;
  const flush = () => {
    if (parts.events.length || parts.rejects.length) {
      out.push({ text: `{"v":1,"events":[${parts.events.join(",")}],"rejects":[${parts.rejects.join(",")}]}`, bytes });
    }
    parts = { events: [], rejects: [] };
    bytes = 32;
  };
  const push = (text: string, kind: "events" | "rejects") => {
    const size = utf8Bytes(text) + 1;
    if (bytes + size > MAX_MESSAGE_BYTES) flush();
    parts[kind].push(text);
    bytes += size;
  };
  if (events.length + rejects.length === 0) return out;
  const texts = events.map((e) => JSON.stringify(e));
  const rejectTexts = rejects.map((r) => JSON.stringify(r));
  // A UTF-8 string is at most 3 bytes per UTF-16 unit: when even that fits, the request is one
  // message and counting its bytes exactly (a loop over every character) is not needed.
  let bound = 32;
  for (const t of texts) bound += 3 * t.length + 1;
  for (const t of rejectTexts) bound += 3 * t.length + 1;
  if (bound <= MAX_MESSAGE_BYTES) return [{ text: `{"v":1,"events":[${texts.join(",")}],"rejects":[${rejectTexts.join(",")}]}`, bytes: bound }];
  for (const t of texts) push(t, "events");
  for (const t of rejectTexts) push(t, "rejects");
  flush();
  return out;
}

/**
 * Puts the events on the queue and resolves only once the queue has them: the caller
 * answers 200 after this, so a 200 means durable (never waitUntil for this).
 */
export async function enqueue(queue: Queue, events: EnrichedEvent[], rejects: RejectedEvent[]): Promise<void> {
  const messages = packMessages(events, rejects);
  if (messages.length === 1) {
    await queue.send(messages[0].text, { contentType: "text" });
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
    batch.push({ body: m.text, contentType: "text" });
    batchBytes += m.bytes;
  }
  if (batch.length) await queue.sendBatch(batch);
}
