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

  if (events.length) {
    await archiveRows(env.ARCHIVE, await archiveKey("raw", events[0].received_at, events.map((e) => e.message_id)), events);
  }
  if (body.rejects.length) {
    const r = body.rejects;
    await archiveRows(env.ARCHIVE, await archiveKey("rejects", r[0].received_at, r.map((x) => x.reject_id)), r);
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

/** Retry delay grows with each attempt: 2, 4, 8, 16, 32 s. */
const backoff = (attempts: number) => Math.min(2 ** attempts, 60);

export async function consumeEvents(batch: MessageBatch<QueueMessageBody>, env: Env): Promise<void> {
  // In order, one message at a time: a later message may continue a session of an earlier one.
  for (const msg of batch.messages) {
    try {
      await processMessage(env, msg.body);
      msg.ack();
    } catch (err) {
      console.error("pipeline: message failed, will retry", msg.id, err instanceof Error ? err.message : String(err));
      msg.retry({ delaySeconds: backoff(msg.attempts) });
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
