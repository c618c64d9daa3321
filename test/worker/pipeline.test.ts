import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";
import { call, exportAll } from "./helpers";

const testEnv = env as unknown as Env;

function event(i: number, anon = "v1", minutes = i): EnrichedEvent {
  const at = new Date(Date.UTC(2026, 10, 20, 9, 0) + minutes * 60_000).toISOString();
  return enrichedEvent({ message_id: `pipe-${i}`, anonymous_id: anon, timestamp: at, url: `https://example.com/p${i}`, path: `/p${i}` });
}

/** D1 whose batch() fails the first `failures` times: a database write failing half-way. */
function failingDb(failures: number): D1Database {
  let left = failures;
  return new Proxy(testEnv.DB, {
    get(target, prop, receiver) {
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (left-- > 0) throw new Error("D1_ERROR: injected failure");
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function deliver(bodies: QueueMessageBody[], db: D1Database, attempts = 1, queue = "foothold-events") {
  const batch = createMessageBatch<QueueMessageBody>(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...testEnv, DB: db });
  return getQueueResult(batch, ctx);
}

describe("pipeline consumer", () => {
  it("retries a message whose database write failed, and then counts every event once", async () => {
    const bodies: QueueMessageBody[] = [
      { v: 1, events: [event(1), event(2)], rejects: [] },
      { v: 1, events: [event(3), event(4)], rejects: [] },
    ];
    // First delivery: the two messages together fail (call 1), then one by one the first
    // commits (call 2) and the second fails (call 3).
    let calls = 0;
    const flaky = new Proxy(testEnv.DB, {
      get(target, prop, receiver) {
        if (prop === "batch") {
          return async (s: D1PreparedStatement[]) => {
            if ([1, 3].includes(++calls)) throw new Error("D1_ERROR: injected failure");
            return target.batch(s);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const first = await deliver(bodies, flaky);
    expect(first.explicitAcks).toEqual(["msg-0"]);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["msg-1"]);

    // Redelivery of the whole batch (at-least-once): nothing is counted twice.
    const second = await deliver(bodies, testEnv.DB, 2);
    expect(second.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
    const rows = await exportAll();
    expect(rows.map((r) => r.message_id)).toEqual(["pipe-1", "pipe-2", "pipe-3", "pipe-4"]);

    // One visitor, four pages a minute apart: one session of four page views.
    const sessions = await testEnv.DB.prepare("SELECT id, pageviews, events FROM sessions").all<{ id: string; pageviews: number; events: number }>();
    expect(sessions.results).toEqual([{ id: "s_pipe-1", pageviews: 4, events: 4 }]);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set(["s_pipe-1"]));
  });

  it("starts a new session after 30 minutes of quiet or on a new campaign", async () => {
    const late = event(10, "v2", 45); // 45 min after event 9 at minute 9 → new session
    const campaign = { ...event(11, "v2", 46), utm_source: "newsletter", utm_medium: "email", channel: "Email" as const };
    await deliver([{ v: 1, events: [event(9, "v2", 9), late, campaign], rejects: [] }], testEnv.DB);
    const { results } = await testEnv.DB.prepare("SELECT id, channel, source, medium, pageviews FROM sessions WHERE anonymous_id = 'v2' ORDER BY started_at").all();
    expect(results).toEqual([
      { id: "s_pipe-9", channel: "Direct", source: "(direct)", medium: "(none)", pageviews: 1 },
      { id: "s_pipe-10", channel: "Direct", source: "(direct)", medium: "(none)", pageviews: 1 },
      { id: "s_pipe-11", channel: "Email", source: "newsletter", medium: "email", pageviews: 1 },
    ]);
  });

  it("parks a message past its retries in the dead-letter store, and replays it once", async () => {
    const body: QueueMessageBody = { v: 1, events: [event(20, "v3")], rejects: [] };
    // The events queue gives up on the message (always failing) ...
    const failed = await deliver([body], failingDb(10), 5);
    expect(failed.retryMessages).toHaveLength(1);
    // ... and the platform hands it to the dead-letter queue, whose consumer parks it.
    await deliver([body], testEnv.DB, 1, "foothold-events-dlq");
    expect(await (await call("/v1/dead-letters")).json()).toEqual({ pending: 1, replayed: 0 });

    const replay = await call("/v1/dead-letters/replay", { method: "POST" });
    expect(await replay.json()).toEqual({ replayed: 1 });
    // The replayed message goes through the real queue to the consumer.
    let rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      rows = (await exportAll()).filter((r) => r.message_id === "pipe-20");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toHaveLength(1);
    expect(await (await call("/v1/dead-letters")).json()).toEqual({ pending: 0, replayed: 1 });
    // Replaying again sends nothing.
    expect(await (await call("/v1/dead-letters/replay", { method: "POST" })).json()).toEqual({ replayed: 0 });
  });
});
