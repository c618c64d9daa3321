import { utf8Bytes } from "../bytes";
import type { Env } from "../env";
import { decodeBody, type EnrichedEvent, type QueueMessageBody, type QueuedBody } from "../events";
import { archiveKey, archiveRows } from "../storage/archive";
import { parkDeadLetter } from "../storage/dead-letters";
import { guardIdentityEpoch, readIdentityEpoch } from "../storage/identity-epoch";
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
 * Queue messages, start to end: dedupe → sessionize → archive to R2 → one D1 transaction.
 * Exactly once: consumers run one at a time (max_concurrency = 1), events already stored are
 * dropped before anything is computed, and every D1 write commits together. The new events go
 * to one R2 file per date, keyed by their ids and written before the commit, so a retry of the
 * same messages rewrites that file instead of adding one; the keys written are pushed onto
 * `archived`, so a caller that retries the messages differently can delete them first.
 */
export async function processMessages(env: Env, bodies: QueueMessageBody[], archived: string[] = []): Promise<{ stored: number; duplicates: number }> {
  // An id sent twice is one event (the first copy).
  const unique = new Map<string, EnrichedEvent>();
  for (const e of bodies.flatMap((b) => b.events)) if (!unique.has(e.message_id)) unique.set(e.message_id, e);
  const firsts = [...unique.values()];
  const epoch = await readIdentityEpoch(env.DB);
  const stored = await storedMessageIds(env.DB, firsts.map((e) => e.message_id));
  const fresh = firsts.filter((e) => !stored.has(e.message_id));

  const anonymousIds = [...new Set(fresh.map((e) => e.anonymous_id).filter((a): a is string => a !== null))];
  const known = await visitorStates(env.DB, anonymousIds);
  const { events, sessions, visitors } = sessionize(known, fresh);

  const rejects = bodies.flatMap((b) => b.rejects);
  for (const [dt, day] of byDate(events)) {
    archived.push(await archiveRows(env.ARCHIVE, await archiveKey("raw", dt, day.map((e) => e.message_id)), day));
  }
  for (const [dt, day] of byDate(rejects)) {
    archived.push(await archiveRows(env.ARCHIVE, await archiveKey("rejects", dt, day.map((r) => r.reject_id)), day));
  }

  const extra = await Promise.all(PIPELINE_WRITERS.map((w) => w(env.DB, { events, sessions, visitors })));
  const statements = [
    // Fails the batch if an import re-resolved visitors since the reads above (the message is retried).
    ...guardIdentityEpoch(env.DB, epoch, new Date().toISOString()),
    ...insertEvents(env.DB, events),
    ...upsertSessions(env.DB, sessions),
    ...upsertVisitors(env.DB, visitors),
    ...insertRejects(env.DB, rejects),
    ...extra.flat(),
  ];
  await env.DB.batch(statements);
  const sent = bodies.reduce((n, b) => n + b.events.length, 0);
  return { stored: events.length, duplicates: sent - events.length };
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

interface Delivered {
  msg: Message<QueuedBody>;
  body: QueueMessageBody;
}

function groups(messages: readonly Message<QueuedBody>[]): Delivered[][] {
  const out: Delivered[][] = [];
  let current: Delivered[] = [];
  let bytes = 0;
  for (const msg of messages) {
    const size = utf8Bytes(typeof msg.body === "string" ? msg.body : JSON.stringify(msg.body));
    if (current.length && bytes + size > GROUP_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ msg, body: decodeBody(msg.body) });
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Messages are processed together — one dedupe read, one R2 object per date, one D1 transaction per
 * group — because the cost is per operation, not per event. If a group fails, its messages are
 * processed one by one, so one bad message is retried alone and the others go through.
 */
export async function consumeEvents(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
  for (const group of groups(batch.messages)) {
    if (group.length > 1) {
      const archived: string[] = [];
      try {
        await processMessages(env, group.map((d) => d.body), archived);
        for (const { msg } of group) msg.ack();
        continue;
      } catch (err) {
        console.error("pipeline: group failed, retrying its messages one by one", err instanceof Error ? err.message : String(err));
        // Nothing of the group committed: its raw files go, each message writes its own below.
        if (archived.length) await env.ARCHIVE.delete(archived);
      }
    }
    // In order, one message at a time: a later message may continue a session of an earlier one.
    for (const { msg, body } of group) {
      try {
        await processMessages(env, [body]);
        msg.ack();
      } catch (err) {
        console.error("pipeline: message failed, will retry", msg.id, err instanceof Error ? err.message : String(err));
        msg.retry({ delaySeconds: backoff(msg.attempts) });
      }
    }
  }
}

/**
 * Messages past their retries arrive here and are parked in D1 for replay. If D1 is down too,
 * each message is retried a minute later, for up to 100 tries (wrangler.toml): parking must
 * outlast an outage, since a dead-letter message past its own retries is gone.
 */
export async function consumeDeadLetters(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    try {
      await parkDeadLetter(env.DB, msg.id, msg.attempts, decodeBody(msg.body));
      msg.ack();
    } catch (err) {
      console.error("dead letters: could not park, will retry", msg.id, err instanceof Error ? err.message : String(err));
      msg.retry({ delaySeconds: 60 });
    }
  }
}
