import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../cli/build.mjs";
import { runCli } from "./cli-runner";
import { startCollector, type Collector } from "./harness";

// An erasure as a company meets it: two people of one account sent through the Segment API, the
// warehouse export run, one of them erased with the CLI; then DuckDB reads every listed Parquet
// file, wrangler reads every raw object the ledger lists, and the APIs answer — none of her,
// all of him. A later event from her browser is not stored.

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");

let collector: Collector;
let cli: string;
let dir: string;
let duck: DuckDBConnection;

beforeAll(async () => {
  [cli, collector] = await Promise.all([buildCli(), startCollector()]);
  dir = mkdtempSync(path.join(tmpdir(), "foothold-privacy-e2e-"));
  duck = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(async () => {
  duck?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await collector?.stop();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

// Jane on her laptop (with her user id) and her phone; Bob on his laptop. All of acme.com.
const JANE = [
  { type: "page", messageId: "jane-1", anonymousId: "jane-laptop", timestamp: hoursAgo(30), properties: { url: "https://example.com/pricing" } },
  { type: "identify", messageId: "jane-2", anonymousId: "jane-laptop", userId: "u-jane", timestamp: hoursAgo(29.9), traits: { email: "jane@acme.com", plan: "team" } },
  { type: "track", event: "form_submit", messageId: "jane-3", anonymousId: "jane-laptop", timestamp: hoursAgo(29.8), properties: { form: "demo", fields: ["email"] } },
  { type: "page", messageId: "jane-4", anonymousId: "jane-phone", timestamp: hoursAgo(5), properties: { url: "https://example.com/" } },
  { type: "identify", messageId: "jane-5", anonymousId: "jane-phone", timestamp: hoursAgo(4.9), traits: { email: "Jane@Acme.com" } },
];
const BOB = [
  { type: "page", messageId: "bob-1", anonymousId: "bob-laptop", timestamp: hoursAgo(20), properties: { url: "https://example.com/pricing" } },
  { type: "identify", messageId: "bob-2", anonymousId: "bob-laptop", timestamp: hoursAgo(19.9), traits: { email: "bob@acme.com" } },
  { type: "page", messageId: "bob-3", anonymousId: "bob-laptop", timestamp: hoursAgo(2), properties: { url: "https://example.com/docs" } },
];
const ids = (list: { messageId: string }[]) => list.map((e) => e.messageId).sort();

async function send(writeKey: string, batch: object[]): Promise<void> {
  const r = await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${writeKey}:`)}`, "user-agent": UA },
    body: JSON.stringify({ batch: batch.map((e) => ({ ...e, context: { userAgent: UA } })) }),
  });
  expect(r.status).toBe(200);
}

/** Every Parquet file the manifest lists, downloaded over the API into a fresh folder; DuckDB's message ids. */
async function parquetMessageIds(): Promise<string[]> {
  const into = mkdtempSync(path.join(dir, "files-"));
  const { events } = (await (await collector.api("/v1/export/files")).json()) as { events: { files: { key: string; url: string }[] } };
  for (const f of events.files) {
    const r = await collector.api(f.url);
    expect(r.status).toBe(200);
    mkdirSync(path.join(into, path.dirname(f.key)), { recursive: true });
    writeFileSync(path.join(into, f.key), new Uint8Array(await r.arrayBuffer()));
  }
  if (events.files.length === 0) return [];
  const reader = await duck.runAndReadAll(`SELECT message_id FROM read_parquet('${path.join(into, "events/dt=*/*.parquet")}') ORDER BY message_id`);
  return reader.getRowObjectsJS().map((r) => r.message_id as string);
}

/** The lines of every raw object the ledger lists, read with wrangler from the local R2 (as an operator with bucket access would). */
function rawLines(): string[] {
  const persist = collector.persist!;
  const query = spawnSync(WRANGLER, ["d1", "execute", "DB", "--local", "--persist-to", persist, "--json", "--command", "SELECT stream, dt, first_seq FROM archive_objects"], { cwd: ROOT, encoding: "utf8" });
  expect(query.status, query.stderr).toBe(0);
  const rows = (JSON.parse(query.stdout) as { results: { stream: string; dt: string; first_seq: number }[] }[])[0].results;
  expect(rows.length).toBeGreaterThan(0);
  return rows.flatMap((r) => {
    const key = `${r.stream}/dt=${r.dt}/${String(r.first_seq).padStart(12, "0")}.ndjson`;
    const got = spawnSync(WRANGLER, ["r2", "object", "get", `foothold-archive/${key}`, "--local", "--persist-to", persist, "--pipe"], { cwd: ROOT, encoding: "utf8" });
    expect(got.status, got.stderr).toBe(0);
    return got.stdout.split("\n").filter(Boolean);
  });
}

const foothold = (args: string[]) => runCli(cli, args, { FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: collector.adminToken });

async function acme(): Promise<{ counts: { people: number; visitors: number }; people: { id: string }[] }> {
  const r = await collector.api("/v1/accounts/acme.com");
  expect(r.status).toBe(200);
  return r.json() as never;
}

let writeKey: string;
let erasureId: string;

describe("erasure, end to end", () => {
  it("has both people in the account, the raw archive and the Parquet files before", async () => {
    ({ write_key: writeKey } = await collector.createSite("Marketing", ["example.com"]));
    await send(writeKey, [...JANE, ...BOB]);
    expect(await collector.exportEvents({ expect: 8, timeoutMs: 60_000 })).toHaveLength(8);
    const run = await collector.api("/v1/export/run", { method: "POST" });
    expect(((await run.json()) as { events: { rows_written: number } }).events.rows_written).toBe(8);
    expect(await parquetMessageIds()).toEqual(ids([...JANE, ...BOB]));
    expect(rawLines().filter((l) => l.includes("jane-laptop"))).toHaveLength(3);
    const account = await acme();
    expect(account.counts).toMatchObject({ visitors: 3, people: 2 });
  });

  it("erases Jane by email with the CLI, which waits until it is done", async () => {
    const r = await foothold(["erase", "--email", "jane@acme.com"]);
    expect(r.stderr).toMatch(/Erasure era_\S+ started\./);
    expect(r.stderr).toMatch(/Erasing \[█+\] 100% \d+\/\d+ steps/);
    expect(r.code, r.stderr).toBe(0);
    erasureId = /Erasure (era_\S+) done/.exec(r.stdout)![1];
    // Her 5 events in the raw objects and Parquet parts; 2 browsers, 2 sessions, 1 person.
    expect(r.stdout).toContain("Removed 5 events and 0 refused events from");
    expect(r.stdout).toMatch(/, 5 rows from \d+ Parquet files?\./);
    expect(r.stdout).toContain("Removed 2 visitors, 1 person and 2 sessions from the database.");
    expect(r.stdout).toMatch(/Parquet files rewritten \(a warehouse that loaded them must reload them\):\n {2}events\/dt=\d{4}-\d{2}-\d{2}\/part-\d{12}-\d{12}\.parquet/);
  });

  it("leaves none of her message ids in any listed Parquet file, and every one of Bob's", async () => {
    expect(await parquetMessageIds()).toEqual(ids(BOB));
  });

  it("leaves none of her in the raw objects or the NDJSON export", async () => {
    const lines = rawLines();
    expect(lines.map((l) => (JSON.parse(l) as { message_id: string }).message_id).sort()).toEqual(ids(BOB));
    for (const needle of ["jane", "u-jane"]) expect(lines.some((l) => l.includes(needle))).toBe(false);
    // Her rows would make it more than Bob's 3: the count is reached at once either way.
    const exported = await collector.exportEvents({ expect: BOB.length });
    expect(exported.map((e) => e.message_id).sort()).toEqual(ids(BOB));
  });

  it("shows one person in the account", async () => {
    const account = await acme();
    expect(account.counts).toMatchObject({ visitors: 1, people: 1 });
    expect(account.people).toHaveLength(1);
  });

  it("does not store a later event from her browser", async () => {
    // In one request with one of Bob's: when his is stored, hers has been through the pipeline too.
    await send(writeKey, [
      { type: "page", messageId: "jane-6", anonymousId: "jane-laptop", timestamp: hoursAgo(0.1), properties: { url: "https://example.com/pricing" } },
      { type: "page", messageId: "bob-4", anonymousId: "bob-laptop", timestamp: hoursAgo(0.1), properties: { url: "https://example.com/" } },
    ]);
    const exported = await collector.exportEvents({ expect: 4, timeoutMs: 60_000 });
    expect(exported.map((e) => e.message_id).sort()).toEqual(["bob-1", "bob-2", "bob-3", "bob-4"]);
    const status = (await (await collector.api(`/v1/privacy/erasures/${erasureId}`)).json()) as { status: string; suppressed: number };
    expect(status).toMatchObject({ status: "done", suppressed: 1 });
    const log = await foothold(["erasures"]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(new RegExp(`${erasureId}\\s+\\S+ \\S+\\s+email\\s+admin\\s+done\\s+5\\s+\\d+\\s+2\\s+1`));
    expect(log.stdout).not.toContain("jane");
  });
});
