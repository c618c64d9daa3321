#!/usr/bin/env node
// D1 bytes per accepted event (SPEC §9, §12): realistic traffic (bench/traffic.mjs) through
// `wrangler dev` and the real queue consumer, then the local D1 file measured table by table
// (each table with its indexes, SQLite's dbstat) and the events until D1's 10 GB cap at that rate.
// Two loads of new visitors: the figure is D1 ÷ events after both; the second load's growth ÷
// its events (the marginal cost, without the empty tables' fixed pages) is printed beside it.
// Baseline from the same run: the bytes of the same events as NDJSON (what R2 keeps instead).
// Budget: at most 120 bytes of D1 per event. Needs sqlite3 (Debian package).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fetchRetry, freshState, recordResult, requireTool, sleep, startWorker } from "./lib.mjs";
import { trafficBatches } from "./traffic.mjs";

requireTool("sqlite3", ["--version"], "sqlite3");
const VISITORS = Number(process.env.BENCH_VISITORS ?? 2_500);
const BUDGET = 120;
const CAP = 10 * 1024 ** 3;
const admin = { authorization: "Bearer bench", "content-type": "application/json" };
const { dir, persist, dbFile } = freshState("d1-growth");

let sent = 0;
let stored = 0;
let ndjsonBytes = 0;
let cursor = "0";
let writeKey = null;

/** Sends `visitors` new visitors' traffic and waits until the export holds every event sent. */
async function load(first) {
  const worker = await startWorker({ persist });
  const base = `http://127.0.0.1:${worker.port}`;
  try {
    if (!writeKey) {
      const site = await (await fetchRetry(`${base}/v1/sites`, { method: "POST", headers: admin, body: JSON.stringify({ name: "bench", domains: ["example.com"] }) })).json();
      writeKey = site.write_key;
    }
    const auth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`, "content-type": "application/json" };
    let batch = [];
    const flush = async () => {
      if (!batch.length) return;
      const r = await fetchRetry(`${base}/v1/batch`, { method: "POST", headers: auth, body: JSON.stringify({ batch }) });
      if (r.status !== 200) throw new Error(`batch: ${r.status} ${await r.text()}`);
      sent += batch.length;
      batch = [];
    };
    // A seed of its own per load: the message ids (and so the dedupe keys) are new ones.
    for (const visit of trafficBatches({ visitors: VISITORS, first, seed: 42 + first })) {
      batch.push(...visit);
      if (batch.length >= 200) await flush();
    }
    await flush();
    // Drained when the export has every event (it lists only what the consumer committed).
    for (let waited = 0; stored < sent; waited++) {
      const r = await fetchRetry(`${base}/v1/export/events?since=${cursor}&limit=10000`, { headers: admin });
      const lines = (await r.text()).split("\n").filter(Boolean);
      stored += lines.length;
      for (const l of lines) ndjsonBytes += Buffer.byteLength(l) + 1;
      cursor = r.headers.get("x-next-cursor") ?? cursor;
      if (!lines.length) {
        if (waited > 120) throw new Error(`only ${stored} of ${sent} events stored after 2 min: ${worker.log.slice(-3000)}`);
        await sleep(1000);
      }
    }
    if (stored !== sent) throw new Error(`stored ${stored} events, sent ${sent}`);
  } finally {
    worker.kill("SIGINT");
    await sleep(1500);
  }
}

/** Each table with its indexes (and SQLite's automatic ones), in bytes of pages. */
function measure() {
  const sql = `SELECT coalesce(m.tbl_name, d.name) AS tbl, sum(d.pgsize) AS bytes
    FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY tbl ORDER BY bytes DESC`;
  const out = spawnSync("sqlite3", ["-readonly", "-separator", "\t", dbFile, sql], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout.trim().split("\n").map((l) => l.split("\t")).map(([t, b]) => ({ table: t, bytes: Number(b) }));
}
const total = (rows) => rows.reduce((n, r) => n + r.bytes, 0);

await load(0);
const half = { events: sent, bytes: total(measure()) };
await load(VISITORS);
const rows = measure();
const bytes = total(rows);
const perEvent = bytes / sent;
const marginal = (bytes - half.bytes) / (sent - half.events);

console.log(`${sent} events from ${2 * VISITORS} visitors; D1 ${(bytes / 1024 / 1024).toFixed(2)} MB`);
console.log("table".padEnd(28) + "bytes".padStart(12) + "  B/event");
for (const r of rows) if (r.bytes / sent >= 0.5) console.log(r.table.padEnd(28) + String(r.bytes).padStart(12) + (r.bytes / sent).toFixed(1).padStart(9));
console.log(`D1: ${perEvent.toFixed(1)} B/event (budget ${BUDGET}); the second ${sent - half.events} events added ${marginal.toFixed(1)} B/event`);
console.log(`the same events as NDJSON (R2): ${(ndjsonBytes / sent).toFixed(0)} B/event, ratio ${(perEvent / (ndjsonBytes / sent)).toFixed(3)}`);
console.log(`10 GB cap after ${(CAP / marginal / 1e6).toFixed(0)}M events at the marginal rate`);
recordResult({
  name: "d1-growth: D1 bytes per event", figure: perEvent, unit: "B/event", baseline: ndjsonBytes / sent, baseline_name: "NDJSON bytes per event", budget: BUDGET,
  note: `${sent.toLocaleString("en-US")} events of ${(2 * VISITORS).toLocaleString("en-US")} visitors; the second half added ${marginal.toFixed(1)} B/event; the 10 GB cap ${(CAP / marginal / 1e6).toFixed(0)}M events away`,
});
if (process.env.BENCH_KEEP) console.log(`kept ${dbFile}`);
else rmSync(dir, { recursive: true, force: true });
process.exit(perEvent <= BUDGET ? 0 : 1);
