import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS } from "../../collector/export/columns";
import { startCollector, type Collector } from "./harness";

// The warehouse hand-off as a user meets it: events in through the Segment API, the export run,
// the Parquet files fetched over the API (no R2 credentials) and loaded by DuckDB.

let collector: Collector;
let dir: string;
let duck: DuckDBConnection;

beforeAll(async () => {
  collector = await startCollector();
  dir = mkdtempSync(path.join(tmpdir(), "foothold-export-e2e-"));
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  await duck.run("SET TimeZone = 'UTC'");
});
afterAll(async () => {
  duck?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await collector?.stop();
});

interface Sent {
  call: Record<string, unknown>;
  channel: string;
  account: string | null;
  utm: Partial<Record<"utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "gclid", string>>;
}

// Four visitors: one states its account (group), one identifies with a work email, one with a
// personal one, one stays anonymous. Resolution is retroactive: all of a visitor's events carry it.
const VISITORS = [
  { anon: "anon-acme", account: "acme.com", resolve: { type: "group", groupId: "acme.com", traits: { name: "Acme" } } },
  { anon: "anon-initech", account: "initech.com", resolve: { type: "identify", userId: "u-bob", traits: { email: "bob@initech.com", plan: "pro" } } },
  { anon: "anon-gmail", account: null, resolve: { type: "identify", traits: { email: "carol@gmail.com" } } },
  { anon: "anon-none", account: null, resolve: null },
] as const;

// Landing URL and referrer → what the collector should derive (GA4 default channel grouping).
const TOUCHES: Array<{ query: string; referrer: string | null; channel: string; utm: Sent["utm"] }> = [
  { query: "?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=crm", referrer: "https://www.google.com/", channel: "Paid Search", utm: { utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", utm_term: "crm" } },
  { query: "", referrer: "https://www.google.com/", channel: "Organic Search", utm: {} },
  { query: "?utm_source=newsletter&utm_medium=email&utm_campaign=nov&utm_content=hero", referrer: null, channel: "Email", utm: { utm_source: "newsletter", utm_medium: "email", utm_campaign: "nov", utm_content: "hero" } },
  { query: "", referrer: "https://www.linkedin.com/feed/", channel: "Organic Social", utm: {} },
  { query: "?gclid=abc123", referrer: null, channel: "Paid Search", utm: { gclid: "abc123" } },
  { query: "", referrer: "https://blog.partner.io/review", channel: "Referral", utm: {} },
  { query: "", referrer: null, channel: "Direct", utm: {} },
];

const base = Date.parse("2026-11-20T08:00:00.000Z");

/** N events: page views and track calls cycling through the touches, then each visitor's identify or group. */
function knownEvents(n: number, tag: string): Sent[] {
  const sent: Sent[] = [];
  for (let i = 0; i < n; i++) {
    const v = VISITORS[i % VISITORS.length]!;
    const t = TOUCHES[i % TOUCHES.length]!;
    // Millisecond precision on purpose: the instant must survive as is.
    const timestamp = new Date(base + i * 61_001 + 7).toISOString();
    const common = { messageId: `${tag}-${i}`, anonymousId: v.anon, timestamp };
    const url = `https://example.com/pricing${t.query}`;
    const context = { page: { url, path: "/pricing", ...(t.referrer ? { referrer: t.referrer } : {}) } };
    if (i % 2 === 0) {
      sent.push({ call: { ...common, type: "page", name: "Pricing", properties: { url, path: "/pricing", ...(t.referrer ? { referrer: t.referrer } : {}), i, nested: { ok: true } } }, channel: t.channel, account: v.account, utm: t.utm });
    } else {
      sent.push({ call: { ...common, type: "track", event: "Demo Requested", context, properties: { i, plan: "team", tags: ["a", "b"] } }, channel: t.channel, account: v.account, utm: t.utm });
    }
  }
  for (const v of VISITORS) {
    if (!v.resolve) continue;
    const timestamp = new Date(base + n * 61_001).toISOString();
    sent.push({ call: { ...v.resolve, messageId: `${tag}-resolve-${v.anon}`, anonymousId: v.anon, timestamp, properties: {} }, channel: "Direct", account: v.account, utm: {} });
  }
  return sent;
}

async function send(writeKey: string, sent: Sent[]): Promise<void> {
  const r = await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${writeKey}:`)}` },
    body: JSON.stringify({ batch: sent.map((s) => s.call) }),
  });
  expect(r.status).toBe(200);
}

async function runExport(): Promise<{ events: { files_written: number; rows_written: number; caught_up: boolean } }> {
  const r = await collector.api("/v1/export/run", { method: "POST" });
  expect(r.status).toBe(200);
  return r.json();
}

/** Every Parquet file in the manifest, downloaded over the API into dir/events/dt=…/ like an R2 copy. */
async function downloadAll(): Promise<string[]> {
  const list = await collector.api("/v1/export/files");
  expect(list.status).toBe(200);
  const { events } = (await list.json()) as { events: { files: Array<{ key: string; url: string; bytes: number }> } };
  for (const f of events.files) {
    const r = await collector.api(f.url);
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(bytes.byteLength).toBe(f.bytes);
    mkdirSync(path.join(dir, path.dirname(f.key)), { recursive: true });
    writeFileSync(path.join(dir, f.key), bytes);
  }
  return events.files.map((f) => f.key);
}

async function loadParquet(): Promise<Record<string, unknown>[]> {
  const glob = path.join(dir, "events/dt=*/*.parquet");
  const reader = await duck.runAndReadAll(`SELECT *, strftime(received_at, '%Y-%m-%d') = dt AS dt_matches FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY message_id`);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

/** A Parquet cell as the NDJSON export spells it: instants as ISO text, INT64 as a number. */
function asJsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number(v);
  return v;
}

describe("warehouse export", () => {
  it("hands every event to DuckDB exactly once, every column as sent, also after a second run", async () => {
    const site = await collector.createSite("Marketing", ["example.com"]);
    const sent = knownEvents(56, "wh");
    const n = sent.length; // 56 + 3 identify/group calls
    await send(site.write_key, sent);
    const stored = await collector.exportEvents({ expect: n, timeoutMs: 60_000 });
    expect(stored).toHaveLength(n);

    const first = await runExport();
    expect(first.events).toMatchObject({ rows_written: n, caught_up: true });
    expect((await runExport()).events).toMatchObject({ files_written: 0, rows_written: 0 });
    await downloadAll();
    const rows = await loadParquet();

    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(n);
    const byId = new Map(rows.map((r) => [r.message_id as string, r]));
    for (const s of sent) {
      const row = byId.get(s.call.messageId as string)!;
      expect(row, s.call.messageId as string).toBeDefined();
      expect(row.type).toBe(s.call.type);
      expect(row.event).toBe(s.call.type === "page" ? "Pricing" : ((s.call.event as string | undefined) ?? null));
      expect(row.anonymous_id).toBe(s.call.anonymousId);
      expect(row.site_id).toBe(site.id);
      // An instant, to the millisecond, whatever the reader's time zone.
      expect((row.timestamp as Date).toISOString()).toBe(s.call.timestamp);
      expect(row.dt_matches).toBe(true);
      expect(row.account_domain, s.call.messageId as string).toBe(s.account);
      expect(JSON.parse(row.properties as string)).toEqual(s.call.properties);
      if (s.call.type === "page" || s.call.type === "track") {
        expect(row.channel, s.call.messageId as string).toBe(s.channel);
        for (const f of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid"] as const) {
          expect(row[f], `${s.call.messageId} ${f}`).toBe(s.utm[f] ?? null);
        }
      }
    }
    // The identify's email is hashed; the address is in no column.
    const bob = byId.get("wh-resolve-anon-initech")!;
    expect(bob).toMatchObject({ user_id: "u-bob", email_domain: "initech.com" });
    expect(JSON.parse(bob.traits as string)).toEqual({ plan: "pro" });
    expect(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? Number(v) : v))).not.toContain("bob@initech.com");

    // Every one of the documented columns equals the incremental NDJSON export of the same event.
    for (const json of stored) {
      const row = byId.get(json.message_id as string)!;
      for (const c of EXPORT_COLUMNS) {
        const want = c.type === "JSON" ? JSON.parse(json[c.name] as string) : json[c.name];
        const got = c.type === "JSON" ? JSON.parse(row[c.name] as string) : asJsonValue(row[c.name]);
        expect(got, `${json.message_id as string}.${c.name}`).toEqual(want);
      }
    }
  });

  it("adds later events in new files only: still one row per event", async () => {
    const site = await collector.createSite("Docs", ["example.com"]);
    const before = (await loadParquet()).length;
    const more = knownEvents(10, "later").slice(0, 10);
    await send(site.write_key, more);
    await collector.exportEvents({ expect: before + more.length, timeoutMs: 60_000 });

    const run = await runExport();
    expect(run.events.rows_written).toBe(more.length);
    const keys = await downloadAll();
    const rows = await loadParquet();
    expect(rows).toHaveLength(before + more.length);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(before + more.length);
    // Names are unique and sort in seq order.
    expect(new Set(keys).size).toBe(keys.length);
  });
});
