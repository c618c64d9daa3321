import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS, type ExportRow } from "../../../collector/export/columns";
import { eventsToParquet } from "../../../collector/export/parquet";
import { enrichedEvent } from "../../fixtures";

// Parquet files are checked the way a warehouse sees them: DuckDB reads what the writer wrote.

let dir: string;
let db: DuckDBConnection;
let files = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "foothold-parquet-"));
  db = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => {
  db?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function readBack(parquet: ArrayBuffer, select = "*"): Promise<Record<string, unknown>[]> {
  const file = path.join(dir, `f${files++}.parquet`);
  writeFileSync(file, new Uint8Array(parquet));
  const reader = await db.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

const base: ExportRow = {
  ...enrichedEvent({
    message_id: "m-000",
    site_id: "site_1",
    anonymous_id: "anon-1",
    timestamp: "2026-03-01T09:15:42.123Z",
    received_at: "2026-03-01T09:15:42.456Z",
    url: "https://example.com/pricing?utm_source=google",
    path: "/pricing",
    title: "Pricing",
    country: "DE",
    region: "Berlin",
    city: "Berlin",
    asn: 3320,
    as_org: "Deutsche Telekom AG",
    user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15",
    browser: "Safari",
    os: "Mac OS",
    device: "desktop",
  }),
  session_id: "s_m-000",
  account_domain: null,
};

/** Hand-made edge cases, then plain generated rows: N = 6 + 44 = 50. */
function knownEvents(): ExportRow[] {
  const special: ExportRow[] = [
    {
      ...base,
      message_id: "m-utm",
      url: "https://example.com/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q1-abm",
      utm_source: "linkedin",
      utm_medium: "paid_social",
      utm_campaign: "q1-abm",
      utm_term: "b2b analytics",
      utm_content: "carousel-2",
      li_fat_id: "abc123",
      channel: "Paid Social",
      referrer: "https://www.linkedin.com/feed/",
      referrer_host: "linkedin.com",
      account_domain: "acme.com",
      properties: JSON.stringify({ plan: { tier: "pro", seats: [5, 10] }, trial: true, price: 49.5, note: null }),
    },
    {
      ...base,
      message_id: "m-unicode",
      type: "track",
      event: "form_submit ✓",
      title: "Über uns — 价格 • مرحبا 🚀👩‍💻",
      city: "São Paulo",
      channel: "Organic Search",
      gclid: "Cj0KCQ",
      // Written as text: an object literal cannot hold an own "__proto__" key.
      properties: '{"clé":"välue 🚀","quote":"say \\"hi\\"\\n\\\\","__proto__":{"polluted":true}}',
    },
    {
      // identify from a server: almost everything null
      ...base,
      message_id: "m-identify",
      type: "identify",
      anonymous_id: null,
      user_id: "u-42",
      session_id: null,
      url: null,
      path: null,
      title: null,
      country: null,
      region: null,
      city: null,
      asn: null,
      as_org: null,
      user_agent: null,
      browser: null,
      os: null,
      device: null,
      email_hash: "a".repeat(64),
      email_domain: "acme.com",
      account_domain: "acme.com",
      traits: JSON.stringify({ name: "Ada", company: { name: "Acme", size: 250 } }),
    },
    { ...base, message_id: "m-bot", is_bot: true, bot_reason: "datacenter-asn", asn: 4294967295, as_org: "Huge ASN" },
    { ...base, message_id: "m-alias", type: "alias", previous_id: "anon-1", user_id: "u-42", timestamp: "2026-03-01T23:59:59.999Z", received_at: "2026-03-01T23:59:59.999Z" },
    { ...base, message_id: "m-group", type: "group", group_id: "acme.com", timestamp: "2026-03-01T00:00:00.001Z", properties: "[1,{\"a\":[]}]" },
  ];
  const plain = Array.from({ length: 44 }, (_, i) => ({
    ...base,
    message_id: `m-${String(i).padStart(3, "0")}`,
    received_at: new Date(Date.parse(base.received_at) + i * 1_001).toISOString(),
    properties: JSON.stringify({ i }),
  }));
  return [...special, ...plain];
}

/** What DuckDB hands back, turned into the row's own vocabulary so toEqual compares everything. */
function asExportRow(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const c of EXPORT_COLUMNS) {
    const v = r[c.name];
    if (v === null) continue;
    if (c.type === "TIMESTAMP") out[c.name] = (v as Date).toISOString();
    if (c.type === "INT64") out[c.name] = Number(v);
    if (c.type === "JSON") out[c.name] = JSON.parse(v as string);
  }
  return out;
}

describe("eventsToParquet", () => {
  it("gives DuckDB every event once, with every column as written", async () => {
    const events = knownEvents();
    const rows = await readBack(eventsToParquet(events));
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(50);
    const written = new Map(events.map((e) => [e.message_id, e]));
    for (const r of rows) {
      const e = written.get(r.message_id as string)!;
      const expected = { ...e, properties: JSON.parse(e.properties), traits: JSON.parse(e.traits) };
      expect(asExportRow(r)).toEqual(expected);
    }
    // The payload JSON survives key for key, "__proto__" included.
    const unicode = rows.find((r) => r.message_id === "m-unicode")!;
    expect(unicode.properties).toBe(written.get("m-unicode")!.properties);
  });

  it("types the columns as a warehouse expects: instants, JSON, integers, booleans", async () => {
    const rows = await readBack(eventsToParquet(knownEvents().slice(0, 3)), "1");
    expect(rows).toHaveLength(3);
    const file = path.join(dir, `f${files - 1}.parquet`);
    const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    expect(Object.keys(types)).toEqual(EXPORT_COLUMNS.map((c) => c.name));
    expect(types).toMatchObject({
      message_id: "VARCHAR",
      timestamp: "TIMESTAMP WITH TIME ZONE",
      received_at: "TIMESTAMP WITH TIME ZONE",
      asn: "BIGINT",
      is_bot: "BOOLEAN",
      properties: "JSON",
      traits: "JSON",
    });
    const codecs = (await db.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).getRowObjectsJS();
    expect(codecs).toEqual([{ compression: "SNAPPY" }]);
    // 2026-03-01 is day 20,513 after 1970-01-01 → 20,513 × 86,400,000 = 1,772,323,200,000 ms;
    // + 09:15:42.456 = 33,342,456 ms → 1,772,356,542,456: the millisecond is kept.
    const ms = await readBack(eventsToParquet([base]), "epoch_ms(received_at) AS ms, json_extract(properties, '$') AS p");
    expect(ms).toEqual([{ ms: 1_772_356_542_456n, p: "{}" }]);
  });

  it("turns lone surrogates into U+FFFD so DuckDB can still read the file", async () => {
    // JSON.stringify escapes a lone surrogate as \udc00, which DuckDB's JSON reader rejects.
    const properties = JSON.stringify({ s: "a\udc00b", ["k\ud800"]: ["\ud800"], ok: "🚀", nul: "x\u0000y" });
    const rows = await readBack(eventsToParquet([{ ...base, title: "bad \ud800 half", properties }]));
    expect(rows[0]!.title).toBe("bad \ufffd half");
    expect(JSON.parse(rows[0]!.properties as string)).toEqual({ s: "a\ufffdb", ["k\ufffd"]: ["\ufffd"], ok: "🚀", nul: "x\u0000y" });
  });

  it("refuses a row without a NOT NULL column rather than writing a hole", () => {
    const broken = { ...base, site_id: null } as unknown as ExportRow;
    expect(() => eventsToParquet([broken])).toThrow("row 0 (m-000) has no site_id");
  });

  it("bundles for a Worker without Node built-ins", async () => {
    // wrangler's resolve conditions; a neutral platform fails on any fs/path/zlib import.
    const result = await build({
      entryPoints: [path.join(import.meta.dirname, "../../../collector/export/run.ts")],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["'](node:)?fs["']/);
  });
});

const ndjson = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

