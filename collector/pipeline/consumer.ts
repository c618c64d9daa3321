import type { Env } from "../env";
import type { QueueMessageBody } from "../events";
import { archiveKey, archiveRows } from "../storage/archive";
import { parkDeadLetter } from "../storage/dead-letters";
import {
  insertEvents,
  insertRejects,
  storedMessageIds,
  upsertSessions,
  upsertVisitors,
  visitorStates,
} from "../storage/pipeline";
import { sessionize } from "./sessionize";
import { PIPELINE_WRITERS } from "./writers";

/**
 * One queue message, start to end: dedupe → sessionize → archive to R2 → one D1 transaction.
 * Exactly once: consumers run one at a time (max_concurrency = 1), events already stored are
 * dropped before anything is computed, and every D1 write of the message commits together.
 * The R2 file is written before the commit and keyed by the message's new events, so a retry
 * after a failed commit rewrites the same file.
 */
export async function processMessage(env: Env, body: QueueMessageBody): Promise<{ stored: number; duplicates: number }> {
  const unique = new Map(body.events.map((e) => [e.message_id, e]));
  const stored = await storedMessageIds(env.DB, [...unique.keys()]);
  const fresh = [...unique.values()].filter((e) => !stored.has(e.message_id));

  const anonymousIds = [...new Set(fresh.map((e) => e.anonymous_id).filter((a): a is string => a !== null))];
  const known = await visitorStates(env.DB, anonymousIds);
  const { events, sessions, visitors } = sessionize(known, fresh);

  for (const [dt, rows] of byDate(events)) {
    await archiveRows(env.ARCHIVE, await archiveKey("raw", dt, rows.map((e) => e.message_id)), rows);
  }
  for (const [dt, rows] of byDate(body.rejects)) {
    await archiveRows(env.ARCHIVE, await archiveKey("rejects", dt, rows.map((x) => x.reject_id)), rows);
  }

  const extra = await Promise.all(PIPELINE_WRITERS.map((w) => w(env.DB, { events, sessions, visitors })));
  const statements = [
    ...insertEvents(env.DB, events),
    ...upsertSessions(env.DB, sessions),
    ...upsertVisitors(env.DB, visitors),
    ...insertRejects(env.DB, body.rejects),
    ...extra.flat(),
  ];
  if (statements.length) await env.DB.batch(statements);
  return { stored: events.length, duplicates: body.events.length - events.length };
}

/** Rows by their receive date (YYYY-MM-DD), the archive's partition. */
function byDate<T extends { received_at: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const dt = r.received_at.slice(0, 10);
    const list = out.get(dt);
    if (list) list.push(r);
    else out.set(dt, [r]);
  }
  return out;
}

/** Retry delay grows with each attempt: 2, 4, 8, 16, 32 s. */
const backoff = (attempts: number) => Math.min(2 ** attempts, 60);

/** A group of messages processed as one unit stays well under D1's per-batch request size. */
const GROUP_BYTES = 1_000_000;

function groups(messages: readonly Message<QueueMessageBody>[]): Message<QueueMessageBody>[][] {
  const out: Message<QueueMessageBody>[][] = [];
  let current: Message<QueueMessageBody>[] = [];
  let bytes = 0;
  for (const msg of messages) {
    const size = JSON.stringify(msg.body).length;
    if (current.length && bytes + size > GROUP_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(msg);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Messages are processed together — one dedupe read, one R2 object, one D1 transaction per
 * group — because the cost is per operation, not per event. If a group fails, its messages are
 * processed one by one, so one bad message is retried alone and the others go through.
 */
export async function consumeEvents(batch: MessageBatch<QueueMessageBody>, env: Env): Promise<void> {
  for (const group of groups(batch.messages)) {
    if (group.length > 1) {
      try {
        await processMessage(env, {
          v: 1,
          events: group.flatMap((m) => m.body.events),
          rejects: group.flatMap((m) => m.body.rejects),
        });
        for (const msg of group) msg.ack();
        continue;
      } catch (err) {
        console.error("pipeline: group failed, retrying its messages one by one", err instanceof Error ? err.message : String(err));
      }
    }
    // In order, one message at a time: a later message may continue a session of an earlier one.
    for (const msg of group) {
      try {
        await processMessage(env, msg.body);
        msg.ack();
      } catch (err) {
        console.error("pipeline: message failed, will retry", msg.id, err instanceof Error ? err.message : String(err));
        msg.retry({ delaySeconds: backoff(msg.attempts) });
      }
    }
  }
}

/** Messages past their retries arrive here and are parked in D1 for replay. */
export async function consumeDeadLetters(batch: MessageBatch<QueueMessageBody>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    await parkDeadLetter(env.DB, msg.id, msg.attempts, msg.body);
    msg.ack();
  }
}
