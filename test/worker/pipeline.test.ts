import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";
import { failingBucket } from "./export-fixtures";
import { flakyD1 } from "./flaky-d1";
import { call, exportAll } from "./helpers";

const testEnv = env as unknown as Env;

function event(i: number, anon = "v1", minutes = i): EnrichedEvent {
  const at = new Date(Date.UTC(2026, 10, 20, 9, 0) + minutes * 60_000).toISOString();
  return enrichedEvent({ message_id: `pipe-${i}`, anonymous_id: anon, timestamp: at, url: `https://example.com/p${i}`, path: `/p${i}` });
}

const flakyDb = (failOn: (call: number) => boolean, method: "batch" | "prepare" = "batch") => flakyD1(failOn, method);

async function deliver(bodies: QueueMessageBody[], db: D1Database, attempts = 1, queue = "foothold-events", bucket = testEnv.ARCHIVE) {
  const batch = createMessageBatch<QueueMessageBody>(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...testEnv, DB: db, ARCHIVE: bucket });
  return getQueueResult(batch, ctx);
}

describe("pipeline consumer", () => {
  it("retries a message whose database write failed, and then counts every event once", async () => {
    const bodies: QueueMessageBody[] = [
      { v: 1, events: [event(1), event(2)], rejects: [] },
      { v: 1, events: [event(3), event(4)], rejects: [] },
    ];
    // First delivery: the two messages together fail to commit (call 1), then each half alone:
    // the first commits (call 2) and the second fails (call 3).
    const flaky = flakyDb((call) => call === 1 || call === 3);
    const first = await deliver(bodies, flaky);
    expect(first.explicitAcks).toEqual(["msg-0"]);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["msg-1"]);

    // Redelivery of the whole batch (at-least-once): nothing is counted twice.
    const second = await deliver(bodies, testEnv.DB, 2);
    expect(second.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
    const rows = await exportAll();
    expect(rows.map((r) => r.message_id)).toEqual(["pipe-1", "pipe-2", "pipe-3", "pipe-4"]);

    // One visitor, four pages a minute apart: one session of four page views.
    const sessions = await testEnv.DB.prepare("SELECT id, pageviews, events FROM sessions").all<{ id: number; pageviews: number; events: number }>();
    expect(sessions.results.map((s) => [s.pageviews, s.events])).toEqual([[4, 4]]);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set([String(sessions.results[0].id)]));
  });

  it("archives each event to R2 once when a failed group falls back to one message at a time", async () => {
    const bodies: QueueMessageBody[] = [
      { v: 1, events: [event(31, "v4"), event(32, "v4")], rejects: [] },
      { v: 1, events: [event(33, "v5")], rejects: [] },
      { v: 1, events: [event(34, "v6"), event(31, "v4")], rejects: [] },
    ];
    // The group fails (call 1), then its halves: [msg-0, msg-1] fails (call 2) and is halved
    // again — msg-0 commits (3), msg-1 fails (4) —, then msg-2 commits (5).
    const flaky = flakyDb((call) => call === 1 || call === 2 || call === 4);
    const result = await deliver(bodies, flaky);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["msg-1"]);
    await deliver([bodies[1]], testEnv.DB, 2);

    const listed = await testEnv.ARCHIVE.list({ prefix: "raw/" });
    const ids: string[] = [];
    for (const o of listed.objects) {
      const text = await (await testEnv.ARCHIVE.get(o.key))!.text();
      ids.push(...text.split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { message_id: string }).message_id));
    }
    const mine = ids.filter((id) => ["pipe-31", "pipe-32", "pipe-33", "pipe-34"].includes(id)).sort();
    expect(mine).toEqual(["pipe-31", "pipe-32", "pipe-33", "pipe-34"]);
  });

  it("starts a new session after 30 minutes of quiet or on a new campaign", async () => {
    const late = event(10, "v2", 45); // 45 min after event 9 at minute 9 → new session
    const campaign = { ...event(11, "v2", 46), utm_source: "newsletter", utm_medium: "email", channel: "Email" as const };
    await deliver([{ v: 1, events: [event(9, "v2", 9), late, campaign], rejects: [] }], testEnv.DB);
    const { results } = await testEnv.DB.prepare("SELECT started_at, channel, source, medium, pageviews FROM sessions WHERE anonymous_id = 'v2' ORDER BY started_at").all();
    expect(results).toEqual([
      { started_at: "2026-11-20T09:09:00.000Z", channel: "Direct", source: "(direct)", medium: "(none)", pageviews: 1 },
      { started_at: "2026-11-20T09:45:00.000Z", channel: "Direct", source: "(direct)", medium: "(none)", pageviews: 1 },
      { started_at: "2026-11-20T09:46:00.000Z", channel: "Email", source: "newsletter", medium: "email", pageviews: 1 },
    ]);
  });

  it("parks a message past its retries in the dead-letter store, and replays it once", async () => {
    const body: QueueMessageBody = { v: 1, events: [event(20, "v3")], rejects: [] };
    // The events queue gives up on the message (always failing) ...
    const failed = await deliver([body], flakyDb(() => true), 5);
    expect(failed.retryMessages).toHaveLength(1);
    // ... and the platform hands it to the dead-letter queue, whose consumer parks it in R2 — while
    // D1 is still down; if R2 fails too, the dead letter is retried, not dropped.
    const r2Outage = await deliver([body], flakyDb(() => true), 1, "foothold-events-dlq", failingBucket(() => true));
    expect(r2Outage.retryMessages).toHaveLength(1);
    const parked = await deliver([body], flakyDb(() => true, "prepare"), 2, "foothold-events-dlq");
    expect(parked.explicitAcks).toEqual(["msg-0"]);
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
