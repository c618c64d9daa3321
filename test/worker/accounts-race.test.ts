import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";
import { call } from "./helpers";

const testEnv = env as unknown as Env;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

async function deliver(body: QueueMessageBody, db: D1Database, attempts = 1) {
  const batch = createMessageBatch<QueueMessageBody>("foothold-events", [{ id: `race-${attempts}`, timestamp: new Date(), attempts, body }]);
  await worker.queue(batch, { ...testEnv, DB: db });
  return getQueueResult(batch, createExecutionContext());
}

describe("an import racing the queue consumer", () => {
  it("never lets the consumer commit decisions made before an import re-resolved its visitors", async () => {
    const page = (id: string, minutesAgo: number) =>
      enrichedEvent({ message_id: id, anonymous_id: "racer", timestamp: at(minutesAgo), url: "https://initech.com/", path: "/" });
    // The visitor identifies with an initech.com email: an account is created for that domain.
    const identify = enrichedEvent({ message_id: "race-id", type: "identify", anonymous_id: "racer", timestamp: at(59), email_domain: "initech.com", email_hash: "a".repeat(64) });
    expect((await deliver({ v: 1, events: [page("race-p1", 60), identify], rejects: [] }, testEnv.DB)).explicitAcks).toHaveLength(1);

    // While the consumer works on two more page views (its reads done, its batch not yet
    // committed), an import makes initech.com a domain of Initrode: past visitors move there.
    let raced = false;
    const racing = new Proxy(testEnv.DB, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "batch" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
        return async (statements: D1PreparedStatement[]) => {
          if (!raced) {
            raced = true;
            const r = await call("/v1/accounts", { method: "PUT", body: JSON.stringify([{ domain: "initrode.com", name: "Initrode", domains: ["initech.com"] }]) });
            expect(r.status).toBe(200);
          }
          return value.call(target, statements);
        };
      },
    });
    const body: QueueMessageBody = { v: 1, events: [page("race-p2", 30), page("race-p3", 29)], rejects: [] };
    const first = await deliver(body, racing);
    expect(first.retryMessages).toHaveLength(1);
    expect((await deliver(body, testEnv.DB, 2)).explicitAcks).toHaveLength(1);

    // All three page views count for Initrode, once.
    const r = await call("/v1/accounts/initrode.com?window=7d");
    expect(r.status).toBe(200);
    const detail = (await r.json()) as { visitors: { anonymous_id: string; method: string }[] };
    expect(detail.visitors.map((v) => [v.anonymous_id, v.method])).toEqual([["racer", "email"]]);
    const list = (await (await call("/v1/accounts?window=7d")).json()) as { accounts: { domain: string; pageviews: number }[] };
    expect(list.accounts.map((a) => [a.domain, a.pageviews])).toEqual([["initrode.com", 3]]);
  });
});
