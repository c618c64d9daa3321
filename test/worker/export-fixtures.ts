import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { parquetReadObjects } from "hyparquet";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody, RejectedEvent } from "../../collector/events";
import { EXPORT_MANIFEST_KEY, type ExportManifest } from "../../collector/export/ledger";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";

// Shared by the export worker tests: events into the archive through the real queue consumer, a bucket
// that fails on cue, and the exported files read back with hyparquet.

export const testEnv = env as unknown as Env;

/** A page view on 2026-11-20 (i < 100) or 2026-11-21 (i ≥ 100), a minute apart. */
export function event(i: number, anon = `v${i % 3}`): EnrichedEvent {
  const at = new Date(Date.UTC(2026, 10, 20, 23, 0) + (i >= 100 ? 60 + i - 100 : i % 60) * 60_000).toISOString();
  return enrichedEvent({
    message_id: `exp-${i}`, site_id: "site_x", anonymous_id: anon, timestamp: at,
    url: `https://example.com/p${i}`, path: `/p${i}`, properties: JSON.stringify({ i }),
  });
}

export function reject(i: number): RejectedEvent {
  return {
    reject_id: `rej-${i}`, site_id: "site_x", received_at: new Date(Date.UTC(2026, 10, 20, 12, i)).toISOString(),
    code: "invalid_type", reason: "`type` must be one of track, page, …", payload: `{"type":"nope","i":${i}}`,
  };
}

/** Stores the events (and rejects) through the real queue consumer, one message per call. */
export async function store(events: EnrichedEvent[], rejects: RejectedEvent[] = []): Promise<void> {
  const body: QueueMessageBody = { v: 1, events, rejects };
  await worker.queue(createMessageBatch<QueueMessageBody>("foothold-events", [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body }]), testEnv);
}

/** An empty archive (ledger, dedupe keys, sessions) and bucket: each test starts from no export at all. */
export async function resetExport(): Promise<void> {
  await testEnv.DB.batch(["archive_objects", "dedupe_keys", "sessions", "visitor_days", "visitor_identities"].map((t) => testEnv.DB.prepare(`DELETE FROM ${t}`)));
  for (;;) {
    const listed = await testEnv.ARCHIVE.list({ limit: 1000 });
    if (!listed.objects.length) break;
    await testEnv.ARCHIVE.delete(listed.objects.map((o) => o.key));
  }
}

/** The ARCHIVE bucket, except that put() throws while `fail(key)` says so. */
export function failingBucket(fail: (key: string) => boolean): R2Bucket {
  const bucket = testEnv.ARCHIVE;
  return new Proxy(bucket, {
    get(target, prop, receiver) {
      if (prop === "put") {
        return (key: string, ...rest: unknown[]) => {
          if (fail(key)) return Promise.reject(new Error(`injected R2 failure writing ${key}`));
          return (target.put as (...a: unknown[]) => Promise<R2Object | null>)(key, ...rest);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export async function storedManifest(): Promise<ExportManifest> {
  const obj = await testEnv.ARCHIVE.get(EXPORT_MANIFEST_KEY);
  if (!obj) throw new Error("no manifest");
  return obj.json<ExportManifest>();
}

/** Every object key under a prefix, sorted. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await testEnv.ARCHIVE.list({ prefix, cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** The rows of every Parquet object under the prefix, as a warehouse glob load would see them. */
export async function parquetRowsUnder(prefix: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const key of (await keysUnder(prefix)).filter((k) => k.endsWith(".parquet"))) {
    const file = await (await testEnv.ARCHIVE.get(key))!.arrayBuffer();
    rows.push(...((await parquetReadObjects({ file })) as Record<string, unknown>[]));
  }
  return rows;
}
