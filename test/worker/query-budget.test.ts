import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { D1_QUERIES_PER_INVOCATION } from "../../collector/storage/query-budget";
import { enrichedEvent } from "../fixtures";

// D1 allows 1,000 queries per Worker invocation (Workers Paid), each statement of a batch counted.
// A full consumer batch of 100 messages with one that always fails must stay under it while the
// consumer splits its way to the bad message, and every good message must still go through.

const testEnv = env as unknown as Env;

/** D1 that counts what D1 would count: every query, and every statement of a batch. */
function counting(): { db: D1Database; queries: () => number } {
  let n = 0;
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => statement(value.apply(target, args));
        if (["all", "first", "run", "raw"].includes(String(prop))) return (...args: unknown[]) => (n++, value.apply(target, args));
        return value.bind(target);
      },
    });
  const db = new Proxy(testEnv.DB, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "prepare") return (sql: string) => statement(target.prepare(sql));
      if (prop === "batch") return (stmts: D1PreparedStatement[]) => ((n += stmts.length), target.batch(stmts));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, queries: () => n };
}

describe("D1's per-invocation query limit", () => {
  it("handles a batch of 100 messages with one poisoned message in at most 1,000 queries, the 99 others stored", async () => {
    const t0 = Date.UTC(2026, 10, 22, 9);
    const bodies: QueueMessageBody[] = Array.from({ length: 100 }, (_, i) => ({
      v: 1,
      events: [0, 1].map((j) =>
        enrichedEvent({
          message_id: `qb-${i}-${j}`, anonymous_id: `qb-v${i % 30}`, site_id: "site_qb",
          // Message 37 carries a time no clock can hold: processing it throws, always.
          timestamp: i === 37 && j === 1 ? "not a time" : new Date(t0 + i * 60_000 + j * 1000).toISOString(),
          url: `https://example.com/p${i}`, path: `/p${i % 7}`,
        }),
      ),
      rejects: [],
    }));
    const batch = createMessageBatch<QueueMessageBody>("foothold-events", bodies.map((body, i) => ({ id: `qb-msg-${i}`, timestamp: new Date(), attempts: 1, body })));
    const { db, queries } = counting();
    await worker.queue(batch, { ...testEnv, DB: db });
    const result = await getQueueResult(batch, createExecutionContext());

    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["qb-msg-37"]);
    expect(result.explicitAcks).toHaveLength(99);
    expect(queries()).toBeLessThanOrEqual(D1_QUERIES_PER_INVOCATION);
    const stored = await testEnv.DB.prepare("SELECT sum(rows) AS n FROM archive_objects WHERE stream = 'raw'").first<{ n: number }>();
    expect(stored!.n).toBe(198);
  });
});
