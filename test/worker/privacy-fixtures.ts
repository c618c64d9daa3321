import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { Env } from "../../collector/env";
import type { EnrichedEvent } from "../../collector/events";
import worker from "../../collector/index";
import type { ErasureMessage } from "../../collector/privacy/tasks";
import { enrichedEvent } from "../fixtures";
import { keysUnder, testEnv } from "./export-fixtures";

// Shared by the erasure worker tests: the erasure queue captured so a test delivers its messages
// itself (to the real queue handler, with a bucket or database that fails on cue), and readers of
// everything an erasure must leave clean.

/** HMAC-SHA256 of the addresses under the tests' HASH_SECRET (`printf %s jane@acme.com | openssl dgst -sha256 -hmac test-hash-secret`). */
export const JANE_HASH = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";
export const BOB_HASH = "0fc3befea9623874a4b6b34e3bc980aadc3e2f0ed8cb22fbc9b18b4f5efad261";
export const CAROL_HASH = "58dd87ae6697f13534c22ac1fd97be915ffe7f8a281cc00c9c4864b1b00873cc";
/** plain SHA-256 of jane@acme.com (`printf %s jane@acme.com | sha256sum`): how the first version stored her */
export const JANE_SHA256 = "7bb9e30283184c3b4bbbf2262a600be7165d7e6f50e424a611aa64394e7ecdb5";

/** A queue that keeps what is sent, for the test to deliver. */
export class CapturedQueue {
  readonly messages: { body: ErasureMessage; attempts: number; delaySeconds?: number; copy?: boolean }[] = [];
  readonly queue = {
    send: async (body: ErasureMessage, opts?: { delaySeconds?: number }) => void this.messages.push({ body, attempts: 1, delaySeconds: opts?.delaySeconds }),
    sendBatch: async (batch: { body: ErasureMessage; delaySeconds?: number }[]) => void this.messages.push(...batch.map((m) => ({ body: m.body, attempts: 1, delaySeconds: m.delaySeconds }))),
  } as unknown as Queue;
}

export interface Delivery {
  task: string;
  outcome: "ack" | "retry";
}

/** Delivers the next captured message to the Worker's queue handler; a retried one goes to the back with one more attempt. */
export async function deliver(captured: CapturedQueue, env: Partial<Env> = {}): Promise<Delivery> {
  const m = captured.messages.shift()!;
  const batch = createMessageBatch<ErasureMessage>("foothold-erasure", [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: m.attempts, body: m.body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...testEnv, ERASURE: captured.queue, ...env });
  const retried = (await getQueueResult(batch, ctx)).retryMessages.length > 0;
  if (retried) captured.messages.push({ ...m, attempts: m.attempts + 1 });
  return { task: m.body.task, outcome: retried ? "retry" : "ack" };
}

/**
 * Delivers until no message is left (`twice`: every message is delivered a second time right
 * after the first, as at-least-once delivery may); answers every delivery in order.
 */
export async function drive(captured: CapturedQueue, env: Partial<Env> = {}, opts: { twice?: boolean; max?: number } = {}): Promise<Delivery[]> {
  const log: Delivery[] = [];
  for (let i = 0; captured.messages.length && i < (opts.max ?? 500); i++) {
    const next = captured.messages[0];
    if (opts.twice && !next.copy) captured.messages.splice(1, 0, { ...next, copy: true });
    log.push(await deliver(captured, env));
  }
  if (captured.messages.length) throw new Error(`${captured.messages.length} erasure messages still queued after ${log.length} deliveries`);
  return log;
}

export const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute)).toISOString();

export const ev = (id: string, fields: Partial<EnrichedEvent> & { timestamp: string }): EnrichedEvent =>
  enrichedEvent({ message_id: id, site_id: "site_p", ...fields });

/** Every NDJSON line under a prefix, parsed, with the key it is in. */
export async function ndjsonLines(prefix: string): Promise<{ key: string; row: Record<string, unknown> }[]> {
  const out: { key: string; row: Record<string, unknown> }[] = [];
  for (const key of (await keysUnder(prefix)).filter((k) => k.endsWith(".ndjson"))) {
    const text = await (await testEnv.ARCHIVE.get(key))!.text();
    for (const l of text.split("\n").filter(Boolean)) out.push({ key, row: JSON.parse(l) as Record<string, unknown> });
  }
  return out;
}

export async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await testEnv.DB.prepare(sql).all<T>()).results;
}

/** Everything a second erasure must leave as it is: the person-bearing tables and every object's bytes. */
export async function snapshot(): Promise<Record<string, unknown>> {
  const tables = ["sessions", "visitor_identities", "people", "visitor_days", "account_days", "visitor_moments", "archive_objects", "accounts"];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = await rows(`SELECT * FROM ${t} ORDER BY 1, 2`);
  for (const key of await keysUnder("")) {
    if (key === "export/manifest.json") {
      const { updated_at: _u, ...manifest } = await (await testEnv.ARCHIVE.get(key))!.json<Record<string, unknown>>();
      out[key] = manifest;
    } else out[key] = [...new Uint8Array(await (await testEnv.ARCHIVE.get(key))!.arrayBuffer())].join(",");
  }
  return out;
}
