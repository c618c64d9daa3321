import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "./harness";

// The upgrade from the first version, which kept every event in D1: a database built by its
// migrations (0000–0003) and holding rows its collector wrote (test/fixtures/legacy-0003.sql,
// dumped from that version's own run), then `npm run dev`'s steps: this version's migrations and
// the collector. Every event must come out of the export and the Parquet files, once.

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");
const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}`, WRANGLER_SEND_METRICS: "false", CI: "true" };
const LEGACY_IDS = Array.from({ length: 40 }, (_, i) => `legacy-${i}`).sort();

let collector: Collector;
let dir: string;

function wrangler(args: string[], config: string) {
  const r = spawnSync(path.join(BIN, "wrangler"), [...args, "--config", config], { cwd: ROOT, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")}: ${r.stderr}${r.stdout}`);
}

/** The first version's database: its four migrations applied by wrangler, then its rows. */
function firstVersionDatabase(persist: string) {
  const migrations = path.join(dir, "migrations-0003");
  mkdirSync(migrations);
  for (const f of readdirSync(path.join(ROOT, "schema/migrations")).filter((f) => /^000[0-3]_.*\.sql$/.test(f))) {
    copyFileSync(path.join(ROOT, "schema/migrations", f), path.join(migrations, f));
  }
  const config = path.join(dir, "wrangler-0003.toml");
  writeFileSync(config, `name = "foothold-0003"\ncompatibility_date = "2026-08-01"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "foothold"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\nmigrations_dir = ${JSON.stringify(migrations)}\n`);
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], config);
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", persist, "--file", path.join(ROOT, "test/fixtures/legacy-0003.sql")], config);
  // As if those events had arrived an hour ago (the fixture's dates are the day it was made):
  // their re-sends are then inside the dedupe window.
  const recent = new Date(Date.now() - 3_600_000).toISOString();
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", persist, "--command",
    `UPDATE events SET received_at = '${recent}', data = json_set(data, '$.received_at', '${recent}'); UPDATE rejects SET received_at = '${recent}'`], config);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "foothold-upgrade-"));
  collector = await startCollector({ prepare: firstVersionDatabase });
});
afterAll(async () => {
  await collector?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("upgrade from the first version (events in D1)", () => {
  it("keeps every event: moved to R2, exported once as NDJSON and as Parquet, with sessions and accounts intact", async () => {
    // The status says an upgrade is under way until the rows are moved.
    expect(((await (await collector.api("/v1/status")).json()) as { upgrade: { pending: boolean } }).upgrade.pending).toBe(true);
    const run = await collector.api("/v1/export/run", { method: "POST" });
    expect(run.status).toBe(200);
    expect(((await run.json()) as { events: { rows_written: number } }).events.rows_written).toBe(40);
    expect(((await (await collector.api("/v1/status")).json()) as { upgrade: { pending: boolean } }).upgrade.pending).toBe(false);

    const rows = await collector.exportEvents({ expect: 40 });
    expect(rows.map((r) => r.message_id as string).sort()).toEqual(LEGACY_IDS);
    // Ann identified with acme.com: all her events, the anonymous ones before too, carry the account.
    expect(new Set(rows.filter((r) => r.anonymous_id === "legacy-a").map((r) => r.account_domain))).toEqual(new Set(["acme.com"]));
    // Each of the first version's sessions is one session still: two visits per visitor.
    for (const anon of ["legacy-a", "legacy-b", "legacy-c"]) {
      expect(new Set(rows.filter((r) => r.anonymous_id === anon).map((r) => r.session_id)).size).toBe(2);
    }

    // The Parquet parts hold the same 40 events, once each, read by DuckDB as a warehouse would.
    const files = (await (await collector.api("/v1/export/files")).json()) as { events: { files: { key: string; url: string }[] } };
    const local = path.join(dir, "parquet");
    mkdirSync(local);
    for (const [i, f] of files.events.files.entries()) {
      const r = await collector.api(f.url);
      writeFileSync(path.join(local, `part-${i}.parquet`), Buffer.from(await r.arrayBuffer()));
    }
    const duck = await (await DuckDBInstance.create(":memory:")).connect();
    const reader = await duck.runAndReadAll(`SELECT message_id FROM read_parquet('${local}/*.parquet') ORDER BY message_id`);
    expect(reader.getRowObjects().map((r) => String(r.message_id)).sort()).toEqual(LEGACY_IDS);
    duck.closeSync();

    // The refused event of the first version is kept too, and a re-send of a moved event counts once.
    const rejects = (await (await collector.api("/v1/rejects")).json()) as { rejects: { code: string }[] };
    expect(rejects.rejects.map((r) => r.code)).toEqual(["invalid_type"]);
    const sites = (await (await collector.api("/v1/sites")).json()) as { sites: { write_key: string }[] };
    const resend = await fetch(`${collector.url}/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${sites.sites[0].write_key}:`)}` },
      // With a new event in the same request: once it is exported, the consumer has handled the re-send.
      body: JSON.stringify({ batch: [
        { type: "track", event: "engagement", messageId: "legacy-1", anonymousId: "legacy-a", properties: { engaged_ms: 20000 } },
        { type: "page", messageId: "after-upgrade-1", anonymousId: "legacy-a", properties: { url: "https://www.example.com/" } },
      ] }),
    });
    expect(resend.status).toBe(200);
    const after = await collector.exportEvents({ expect: 41 });
    expect(after.filter((r) => r.message_id === "legacy-1")).toHaveLength(1);
    expect(after.map((r) => r.message_id)).toContain("after-upgrade-1");

    // Acme's account page still counts Ann's two visits.
    const acme = (await (await collector.api("/v1/accounts/acme.com?from=2026-11-01&to=2026-11-30")).json()) as { counts: { sessions: number; people: number } };
    expect(acme.counts).toMatchObject({ sessions: 2, people: 1 });
  });
});
