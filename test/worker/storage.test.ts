import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { runRetention } from "../../collector/lifecycle/retention";
import { enrichedEvent } from "../fixtures";
import { failingBucket } from "./export-fixtures";
import { downD1, flakyD1, type Mode } from "./flaky-d1";
import { call } from "./helpers";

// Storage that lasts (SPEC §12): events live in ledgered R2 objects; D1 keeps dedupe keys and
// rollups. Driven through the real queue consumer and the real export route.

const testEnv = env as unknown as Env;
const DAY = 86_400_000;

function event(id: string, at: number, anon = "st-v1", extra: Partial<EnrichedEvent> = {}): EnrichedEvent {
  const timestamp = new Date(at).toISOString();
  return enrichedEvent({ message_id: id, anonymous_id: anon, site_id: "site_st", timestamp, received_at: new Date().toISOString(), url: `https://example.com/${id}`, path: `/${id}`, ...extra });
}

const flaky = (when: (call: number) => Mode) => flakyD1(when);
const down = downD1;

let msg = 0;
async function deliver(bodies: QueueMessageBody[], db: D1Database = testEnv.DB, queue = "foothold-events", attempts = 1) {
  const batch = createMessageBatch<QueueMessageBody>(queue, bodies.map((body) => ({ id: `st-msg-${++msg}`, timestamp: new Date(), attempts, body })));
  await worker.queue(batch, { ...testEnv, DB: db });
  return getQueueResult(batch, createExecutionContext());
}
const body = (...events: EnrichedEvent[]): QueueMessageBody => ({ v: 1, events, rejects: [] });

/** One page of the NDJSON export after `cursor`. */
async function exportPage(cursor: string, limit: number): Promise<{ ids: string[]; next: string }> {
  const r = await call(`/v1/export/events?since=${cursor}&limit=${limit}`);
  const lines = new TextDecoder().decode(await r.arrayBuffer()).split("\n").filter(Boolean);
  return { ids: lines.map((l) => (JSON.parse(l) as { message_id: string }).message_id), next: r.headers.get("x-next-cursor")! };
}

/** A reader that pages the export three events at a time, as a warehouse sync would, between the steps. */
function follower() {
  let cursor = "0";
  const seen: string[] = [];
  return {
    seen,
    async drain() {
      for (;;) {
        const page = await exportPage(cursor, 3);
        seen.push(...page.ids);
        if (!page.ids.length) return;
        cursor = page.next;
      }
    },
  };
}

describe("storage that lasts", () => {
  it("pages the export without skipping or repeating an event across failed commits, an ambiguous commit, redelivery and replayed dead letters", async () => {
    const t = Date.UTC(2026, 10, 20, 9);
    const reader = follower();
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `cur-${from + i}`);
    const ev = (i: number) => event(`cur-${i}`, t + i * 60_000, `cur-v${i % 4}`);

    // A group of three whose first commit fails: it is halved until each part commits.
    const first = await deliver([body(ev(0), ev(1)), body(ev(2)), body(ev(3), ev(4))], flaky((c) => (c === 1 ? "fail" : "ok")));
    expect(first.retryMessages).toEqual([]);
    await reader.drain();

    // A commit that went through but reported failure: the retry finds every event stored.
    const ambiguous = await deliver([body(ev(5), ev(6)), body(ev(7))], flaky((c) => (c === 1 ? "ambiguous" : "ok")));
    expect(ambiguous.retryMessages).toEqual([]);
    // Its objects are kept (the ledger lists them), and nothing was written twice.
    await reader.drain();

    // Redelivery of everything so far, mixed with new events: only the new ones are added.
    await deliver([body(ev(0), ev(5), ev(8)), body(ev(3), ev(9))]);
    await reader.drain();

    // A message that keeps failing goes to the dead-letter queue, is parked in R2, then replayed.
    const failing = body(ev(10), ev(11));
    const gaveUp = await deliver([failing], flaky(() => "fail"), "foothold-events", 5);
    expect(gaveUp.retryMessages).toHaveLength(1);
    await deliver([failing], testEnv.DB, "foothold-events-dlq");
    expect(await (await call("/v1/dead-letters")).json()).toMatchObject({ pending: 1 });
    expect(await (await call("/v1/dead-letters/replay", { method: "POST" })).json()).toEqual({ replayed: 1 });
    for (let i = 0; i < 100 && !reader.seen.includes("cur-11"); i++) {
      await reader.drain();
      await new Promise((r) => setTimeout(r, 100));
    }
    // The queue also redelivers the original copy after the replay: still once.
    await deliver([failing]);
    await reader.drain();

    const expected = ids(0, 12);
    expect(reader.seen.filter((id) => id.startsWith("cur-")).sort()).toEqual([...expected].sort());
    // And a reader starting over sees the same events, each once.
    const again = follower();
    await again.drain();
    expect(again.seen.filter((id) => id.startsWith("cur-")).sort()).toEqual([...expected].sort());
    // Every raw object in R2 is listed in the ledger: nothing half-written was left behind.
    const listed = await testEnv.DB.prepare("SELECT count(*) AS n FROM archive_objects WHERE stream = 'raw'").first<{ n: number }>();
    expect((await testEnv.ARCHIVE.list({ prefix: "raw/" })).objects).toHaveLength(listed!.n);
  });

  it("loses nothing while D1 is down: messages are retried, dead letters park in R2, and after recovery each event counts once", async () => {
    const t = Date.UTC(2026, 10, 21, 9);
    const bodies = [body(event("down-1", t, "down-v"), event("down-2", t + 60_000, "down-v")), body(event("down-3", t + 120_000, "down-v"))];
    const outage = await deliver(bodies, down());
    expect(outage.explicitAcks).toEqual([]);
    expect(outage.retryMessages).toHaveLength(2);
    // Past their retries the platform hands them to the dead-letter queue: parked with D1 still down.
    const parked = await deliver(bodies, down(), "foothold-events-dlq");
    expect(parked.retryMessages).toEqual([]);
    expect((await testEnv.ARCHIVE.list({ prefix: "dead/pending/" })).objects.length).toBeGreaterThanOrEqual(2);

    // D1 is back: the queue's own redelivery of one, and the replay of both parked messages.
    await deliver([bodies[0]]);
    await call("/v1/dead-letters/replay", { method: "POST" });
    let rows: string[] = [];
    for (let i = 0; i < 100 && rows.length < 3; i++) {
      rows = await collect("down-");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.sort()).toEqual(["down-1", "down-2", "down-3"]);
    const counted = await testEnv.DB.prepare("SELECT sum(events) AS n FROM visitor_days WHERE anonymous_id = 'down-v'").first<{ n: number }>();
    expect(counted!.n).toBe(3);
  });

  it("counts a re-send 30 days after the first copy once, and forgets keys past the window", async () => {
    const t = Date.now() - DAY;
    await deliver([body(event("late-1", t, "late-v"), event("late-2", t + 1000, "late-v"))]);
    // As if the first copies had arrived 30 and 40 days ago (the dedupe window is 35 days).
    const [k1, k2] = await Promise.all(["late-1", "late-2"].map(hexKey));
    await testEnv.DB.batch([
      testEnv.DB.prepare("UPDATE dedupe_keys SET day = day - 30 WHERE k = unhex(?1)").bind(k1),
      testEnv.DB.prepare("UPDATE dedupe_keys SET day = day - 40 WHERE k = unhex(?1)").bind(k2),
    ]);
    await deliver([body(event("late-1", t, "late-v"))]);
    expect(await collect("late-")).toEqual(["late-1", "late-2"]);
    const counted = await testEnv.DB.prepare("SELECT sum(events) AS n FROM visitor_days WHERE anonymous_id = 'late-v'").first<{ n: number }>();
    expect(counted!.n).toBe(2);
    // The retention job drops the 40-day-old key, keeps the 30-day-old one.
    await runRetention(testEnv);
    const keys = await testEnv.DB.prepare("SELECT lower(hex(k)) AS k FROM dedupe_keys WHERE k IN (unhex(?1), unhex(?2))").bind(k1, k2).all<{ k: string }>();
    expect(keys.results.map((r) => r.k)).toEqual([k1]);
  });

  it("accepts a backfill of last year's events: sessionized at their own time and counted once however often sent", async () => {
    const yearAgo = Date.now() - 365 * DAY;
    const backfill = [0, 5, 10, 120].map((m, i) => event(`bf-${i}`, yearAgo + m * 60_000, "bf-v"));
    await deliver([body(...backfill.slice(0, 2)), body(...backfill.slice(2))]);
    await deliver([body(...backfill)]);
    expect(await collect("bf-")).toEqual(["bf-0", "bf-1", "bf-2", "bf-3"]);
    const sessions = await testEnv.DB.prepare("SELECT started_at, pageviews FROM sessions WHERE anonymous_id = 'bf-v' ORDER BY started_at").all<{ started_at: string; pageviews: number }>();
    // 0, 5, 10 minutes: one session; 120 minutes: another.
    expect(sessions.results).toEqual([
      { started_at: new Date(yearAgo).toISOString(), pageviews: 3 },
      { started_at: new Date(yearAgo + 120 * 60_000).toISOString(), pageviews: 1 },
    ]);
  });

  it("retention deletes raw objects and rollups past their days, only once exported, and objects no batch committed", async () => {
    await call("/v1/settings/retention", { method: "PUT", body: JSON.stringify({ raw_days: 30, rollup_days: 30 }) });
    const old = Date.now() - 40 * DAY;
    const recent = Date.now() - 2 * DAY;
    await deliver([body(event("ret-old", old, "ret-old-v"))]);
    await deliver([body(event("ret-new", recent, "ret-new-v"))]);
    expect((await call("/v1/export/run", { method: "POST" })).status).toBe(200);
    // Written after the export ran: old, but not in Parquet yet, so it must stay.
    await deliver([body(event("ret-unexported", old, "ret-old-v2"))]);
    // An object a failed batch left behind (unlisted), two hours before the job runs.
    await testEnv.ARCHIVE.put(`raw/dt=${new Date().toISOString().slice(0, 10)}/999999999999.ndjson`, "{}\n");

    const report = await runRetention(testEnv, new Date(Date.now() + 2 * 3_600_000));
    expect(report.orphan_objects).toBe(1);
    expect(await collect("ret-")).toEqual(["ret-new", "ret-unexported"]);
    const days = await testEnv.DB.prepare("SELECT anonymous_id FROM visitor_days WHERE anonymous_id LIKE 'ret-%' ORDER BY anonymous_id").all<{ anonymous_id: string }>();
    expect(days.results.map((r) => r.anonymous_id)).toEqual(["ret-new-v"]);
    const sessions = await testEnv.DB.prepare("SELECT anonymous_id FROM sessions WHERE anonymous_id LIKE 'ret-%'").all<{ anonymous_id: string }>();
    expect(sessions.results.map((r) => r.anonymous_id)).toEqual(["ret-new-v"]);
    // Every listed object is still in R2, and the orphan is gone.
    for (const o of (await testEnv.ARCHIVE.list({ prefix: "raw/" })).objects) {
      expect(o.key).not.toContain("999999999999");
    }
    await call("/v1/settings/retention", { method: "PUT", body: JSON.stringify({ raw_days: 761, rollup_days: 761 }) });
  });

  it("reports D1's size, the last day's events and the runs on GET /v1/status", async () => {
    const r = await call("/v1/status");
    expect(r.status).toBe(200);
    const status = (await r.json()) as { d1: { bytes: number; cap_bytes: number }; last_24h: { events: number }; retention: { dedupe_days: number } };
    expect(status.d1.bytes).toBeGreaterThan(0);
    expect(status.d1.cap_bytes).toBe(10 * 1024 ** 3);
    expect(status.last_24h.events).toBeGreaterThan(0);
    expect(status.retention.dedupe_days).toBe(35);
  });

  it("retries a dead letter it cannot park while R2 fails too, instead of dropping it", async () => {
    const dead = await deliver([body(event("dl-1", Date.now(), "dl-v"))], testEnv.DB, "foothold-events-dlq");
    expect(dead.explicitAcks).toHaveLength(1);
    const batch = createMessageBatch<QueueMessageBody>("foothold-events-dlq", [{ id: "st-dl-2", timestamp: new Date(), attempts: 1, body: body(event("dl-2", Date.now(), "dl-v")) }]);
    await worker.queue(batch, { ...testEnv, DB: down(), ARCHIVE: failingBucket(() => true) });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["st-dl-2"]);
  });
});

async function hexKey(id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  return [...new Uint8Array(digest, 0, 10)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Exported message ids with a prefix, sorted. */
async function collect(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  for (;;) {
    const page = await exportPage(cursor, 10_000);
    out.push(...page.ids.filter((id) => id.startsWith(prefix)));
    if (!page.ids.length) return out.sort();
    cursor = page.next;
  }
}
