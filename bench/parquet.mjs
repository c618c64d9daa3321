#!/usr/bin/env node
// Warehouse export: events per second turned into Parquet by the real export run — POST
// /v1/export/run on `wrangler dev`, reading the archived NDJSON from local R2 (and the sessions
// from local D1), writing Parquet parts and the manifest back to R2 — beside DuckDB converting the
// same events, as the NDJSON GET /v1/export/events serves, to Parquet on this machine.
// Bracketed over rounds: each round sends CHUNK new events (bench/traffic.mjs) through /v1/batch
// and the queue consumer, then DuckDB converts the round's NDJSON and the export run exports
// exactly those events; DuckDB converts once more after the last round. The export's files are
// read back with DuckDB and must hold every event once.
// Run: npm run bench -- parquet   (BENCH_EVENTS=10000 for a quick run)
import { DuckDBInstance } from "@duckdb/node-api";
import { rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fetchRetry, freshState, median, recordResult, sleep, startWorker } from "./lib.mjs";
import { api, postEvents, waitForStored } from "./seed.mjs";
import { trafficBatches } from "./traffic.mjs";

const CHUNK = Number(process.env.BENCH_EVENTS ?? 30_000);
const ROUNDS = 3;
// bench/traffic.mjs makes about 16.5 events per visitor; a round ends on a whole visit.
const VISITORS = Math.ceil(CHUNK / 16.5);

const { dir, persist } = freshState("parquet");
const worker = await startWorker({ persist });
const base = worker.url;
const db = await (await DuckDBInstance.create(":memory:")).connect();
const threads = (await db.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t;
try {
  const site = await api(base, "/v1/sites", { method: "POST", body: JSON.stringify({ name: "bench", domains: ["example.com"] }) });
  let stored = 0;
  let cursor = "0";

  /** One round's events: sent, consumed, and their NDJSON as the export API serves it, in a file. */
  async function round(r) {
    const sent = await postEvents(base, site.write_key, trafficBatches({ visitors: VISITORS, seed: 1000 + r }));
    stored = await waitForStored(base, stored + sent);
    const file = path.join(dir, `round-${r}.ndjson`);
    let text = "";
    let rows = 0;
    while (rows < sent) {
      const res = await fetchRetry(`${base}/v1/export/events?since=${cursor}&limit=10000`, { headers: { authorization: "Bearer bench" } });
      const body = await res.text();
      if (!res.ok) throw new Error(`export/events: ${res.status} ${body.slice(0, 300)}`);
      const n = body.split("\n").filter(Boolean).length;
      if (n === 0) throw new Error(`the NDJSON export has ${rows} of ${sent} events`);
      rows += n;
      text += body.endsWith("\n") ? body : `${body}\n`;
      cursor = res.headers.get("x-next-cursor") ?? cursor;
    }
    writeFileSync(file, text);
    return { file, rows, bytes: Buffer.byteLength(text) };
  }

  async function duckdb(file, nThreads) {
    await db.run(`SET threads = ${nThreads}`);
    const out = path.join(dir, "duckdb.parquet");
    const start = performance.now();
    await db.run(`COPY (SELECT * FROM read_json_auto('${file}')) TO '${out}' (FORMAT parquet)`);
    return { ms: performance.now() - start, bytes: statSync(out).size };
  }

  /** POST /v1/export/run until it has caught up: the wall time of the calls, and what they wrote. */
  async function exportRun() {
    const start = performance.now();
    let rows = 0;
    let files = 0;
    for (;;) {
      const report = await api(base, "/v1/export/run", { method: "POST" });
      if (report.lost_race) throw new Error("the export run lost a race with another run");
      rows += report.events.rows_written;
      files += report.events.files_written;
      if (report.events.caught_up) break;
    }
    return { ms: performance.now() - start, rows, files };
  }

  const duck = [];
  const duck1 = [];
  const runs = [];
  let last;
  for (let r = 0; r < ROUNDS; r++) {
    last = await round(r);
    duck.push({ ...(await duckdb(last.file, threads)), rows: last.rows });
    duck1.push({ ...(await duckdb(last.file, 1)), rows: last.rows });
    const run = await exportRun();
    if (run.rows !== last.rows) throw new Error(`round ${r}: the export run wrote ${run.rows} rows, the round has ${last.rows}`);
    runs.push(run);
    console.log(`round ${r + 1}: ${last.rows.toLocaleString("en")} events (${(last.bytes / 1e6).toFixed(1)} MB NDJSON); export run ${run.ms.toFixed(0)} ms, ${run.files} files; DuckDB ${duck.at(-1).ms.toFixed(0)} ms (${threads} threads), ${duck1.at(-1).ms.toFixed(0)} ms (1 thread)`);
  }
  duck.push({ ...(await duckdb(last.file, threads)), rows: last.rows });
  duck1.push({ ...(await duckdb(last.file, 1)), rows: last.rows });

  // The export's files, fetched through the API, read back by DuckDB: every event once.
  const listing = await api(base, "/v1/export/files");
  for (const f of listing.events.files) {
    const res = await fetchRetry(`${base}${f.url}`, { headers: { authorization: "Bearer bench" } });
    writeFileSync(path.join(dir, f.key.replaceAll("/", "_")), Buffer.from(await res.arrayBuffer()));
  }
  const check = (await db.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM read_parquet('${dir}/events_*.parquet')`)).getRowObjectsJS()[0];
  if (Number(check.n) !== stored || Number(check.d) !== stored) throw new Error(`DuckDB read ${check.n} rows, ${check.d} distinct, from the export's files; ${stored} events were stored`);

  const rate = (xs) => median(xs.map((x) => x.rows / (x.ms / 1000)));
  const ours = rate(runs);
  const theirs = rate(duck);
  const theirs1 = rate(duck1);
  const bytes = listing.events.files.reduce((n, f) => n + f.bytes, 0);
  console.log(`export run (POST /v1/export/run, local R2 → Parquet → R2): median ${Math.round(ours).toLocaleString("en")} events/s; ${listing.events.files.length} files, ${(bytes / 1e6).toFixed(1)} MB, read back by DuckDB: ${Number(check.n).toLocaleString("en")} rows, all distinct`);
  console.log(`DuckDB COPY read_json_auto → Parquet: median ${Math.round(theirs).toLocaleString("en")} events/s (${threads} threads), ${Math.round(theirs1).toLocaleString("en")} events/s (1 thread)`);
  console.log(`ratio: ${(ours / theirs).toFixed(2)} × DuckDB (${threads} threads), ${(ours / theirs1).toFixed(2)} × DuckDB (1 thread)`);
  recordResult({
    name: `parquet: POST /v1/export/run, ${CHUNK.toLocaleString("en")} events a run`,
    figure: ours, unit: "events/s", baseline: theirs, baseline_name: `DuckDB converting the same NDJSON (${threads} threads)`,
    note: `${(ours / theirs1).toFixed(2)} × DuckDB on 1 thread`,
  });
} catch (err) {
  console.error(`collector log (tail):\n${worker.log.slice(-3000)}`);
  throw err;
} finally {
  db.closeSync();
  worker.kill("SIGTERM");
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
