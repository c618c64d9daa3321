import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";
import { basic, call, createSite, exportAll } from "./helpers";

// What happens to a message whose database write keeps failing: retried later and later, then
// handed to the dead-letter queue and parked, then replayed once the database takes it.

const testEnv = env as unknown as Env;

/** D1 whose batch() (the consumer's one transaction) always fails. */
const failingDb = new Proxy(testEnv.DB, {
  get(target, prop, receiver) {
    if (prop === "batch") return () => Promise.reject(new Error("D1_ERROR: injected failure"));
    const value = Reflect.get(target, prop, receiver);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/**
 * One delivery of `bodies` as attempt `attempts`; answers the acks and retries, each retry with
 * the delay the consumer asked for (the test batch does not keep retry()'s options, so each
 * message is watched on its way to the consumer).
 */
async function deliver(bodies: QueueMessageBody[], attempts: number) {
  const batch = createMessageBatch<QueueMessageBody>(
    "foothold-events",
    bodies.map((body, i) => ({ id: `retry-${i}`, timestamp: new Date(), attempts, body })),
  );
  const asked = new Map<string, number | undefined>();
  const watched = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(target, prop) {
          if (prop === "retry") return (options?: QueueRetryOptions) => (asked.set(target.id, options?.delaySeconds), target.retry(options));
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
  );
  const ctx = createExecutionContext();
  await worker.queue({ ...batch, queue: batch.queue, messages: watched, ackAll: () => batch.ackAll(), retryAll: (o?: QueueRetryOptions) => batch.retryAll(o) }, { ...testEnv, DB: failingDb });
  const result = await getQueueResult(batch, ctx);
  return { ...result, retryMessages: result.retryMessages.map((r) => ({ msgId: r.msgId, delaySeconds: asked.get(r.msgId) })) };
}

const body = (i: number): QueueMessageBody => ({
  v: 1,
  events: [enrichedEvent({ message_id: `retry-event-${i}`, anonymous_id: `retry-v${i}`, timestamp: "2026-11-20T09:00:00.000Z" })],
  rejects: [],
});

describe("a message whose write fails", () => {
  it("is retried after 2, 4, 8, 16 and 32 seconds, each message of a failing group on its own clock", async () => {
    const delays: number[][] = [];
    for (let attempts = 1; attempts <= 5; attempts++) {
      const result = await deliver([body(1), body(2)], attempts);
      expect(result.explicitAcks).toEqual([]);
      // The group fails, then each half alone: both end up retried, with the delay of their attempt.
      expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["retry-0", "retry-1"]);
      delays.push(result.retryMessages.map((m) => m.delaySeconds ?? -1));
    }
    expect(delays).toEqual([[2, 2], [4, 4], [8, 8], [16, 16], [32, 32]]);
  });

  it(
    "reaches the dead-letter queue through the queue's own retries, is parked, and is stored once when replayed",
    async () => {
      // A database that refuses this one visitor's session: a trigger, so the Worker runs as deployed.
      await testEnv.DB.prepare(
        `CREATE TRIGGER doomed_visitor BEFORE INSERT ON sessions WHEN NEW.anonymous_id = 'doomed-visitor'
         BEGIN SELECT RAISE(ABORT, 'injected: writes of doomed-visitor fail'); END`,
      ).run();
      const site = await createSite();
      const page = (id: string, anonymousId: string) => ({
        type: "page", messageId: id, anonymousId, timestamp: new Date(Date.now() - 60_000).toISOString(), properties: { url: "https://example.com/pricing", path: "/pricing" },
      });
      const post = (events: unknown[]) =>
        call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch: events }) });
      const sentAt = Date.now();
      // Two requests, two queue messages: one that always fails, one that goes through.
      expect((await post([page("doomed-1", "doomed-visitor")])).status).toBe(200);
      expect((await post([page("fine-1", "fine-visitor")])).status).toBe(200);

      // The queue redelivers after each delay the consumer asks for (2 + 4 + 8 + 16 + 32 s), then,
      // past max_retries = 5, hands the message to the dead-letter queue, whose consumer parks it.
      let deadLetters = { pending: 0, replayed: 0 };
      while (deadLetters.pending === 0) {
        await new Promise((r) => setTimeout(r, 500));
        deadLetters = await (await call("/v1/dead-letters")).json();
      }
      const parkedAfter = Date.now() - sentAt;
      expect(deadLetters).toEqual({ pending: 1, replayed: 0 });
      // Not sooner than the delays add up to (a lower bound: a slow machine only adds to it).
      expect(parkedAfter).toBeGreaterThanOrEqual(62_000);
      const listed = await testEnv.ARCHIVE.list({ prefix: "dead/pending/" });
      expect(listed.objects).toHaveLength(1);
      const parked = JSON.parse(await (await testEnv.ARCHIVE.get(listed.objects[0].key))!.text()) as { body: QueueMessageBody };
      expect(parked.body.events.map((e) => e.message_id)).toEqual(["doomed-1"]);
      // The other message was stored on its first delivery; the doomed one is nowhere yet.
      expect((await exportAll()).map((r) => r.message_id)).toEqual(["fine-1"]);

      // The database takes it again: a replay stores it once, through the queue and the consumer.
      await testEnv.DB.prepare("DROP TRIGGER doomed_visitor").run();
      expect(await (await call("/v1/dead-letters/replay", { method: "POST" })).json()).toEqual({ replayed: 1 });
      let rows: Array<Record<string, unknown>> = [];
      while (rows.length < 2) {
        await new Promise((r) => setTimeout(r, 200));
        rows = await exportAll();
      }
      expect(rows.map((r) => r.message_id).sort()).toEqual(["doomed-1", "fine-1"]);
      expect(await (await call("/v1/dead-letters")).json()).toEqual({ pending: 0, replayed: 1 });
    },
    150_000,
  );
});
