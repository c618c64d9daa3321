#!/usr/bin/env node
// Soak: 1,000,000 events of realistic traffic (bench/traffic.mjs) through `wrangler dev` — real
// ingest, local Queues, the real consumer, local D1 and R2 — then every one read back through
// GET /v1/export/events: 0 lost and 0 doubled, or the bench fails. Prints the ingest rate, the
// consumer's lag (events accepted but not yet committed) while sending and how long it takes to
// catch up after, and D1's size at the end. Baseline in the same run: the rate the same sender
// reaches against a no-op Worker (bench/noop), so the ingest figure is a ratio, not a capacity claim.
// BENCH_EVENTS (default 1,000,000) and BENCH_MINUTES (default 40) bound the run.
import { spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import path from "node:path";
import { fetchRetry, freshState, recordResult, ROOT, sleep, startWorker } from "./lib.mjs";
import { trafficBatches } from "./traffic.mjs";

const TARGET = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DEADLINE = Date.now() + Number(process.env.BENCH_MINUTES ?? 40) * 60_000;
const PORT = 8895;
const NOOP_PORT = 8896;
const SENDERS = 4;
const PER_REQUEST = 500;
const base = `http://127.0.0.1:${PORT}`;
const admin = { authorization: "Bearer bench", "content-type": "application/json" };

/** Batches of PER_REQUEST events, in order, until TARGET events. */
function* requests() {
  let batch = [];
  let n = 0;
  // ~16.5 events per visitor: enough visitors for the target.
  for (const visit of trafficBatches({ visitors: Math.ceil(TARGET / 15), seed: 7 })) {
    for (const e of visit) {
      if (n === TARGET) break;
      batch.push(e);
      n++;
      if (batch.length === PER_REQUEST) {
        yield batch;
        batch = [];
      }
    }
    if (n === TARGET) break;
  }
  if (batch.length) yield batch;
}

/** Sends every request with SENDERS in flight; answers events sent per second. */
async function send(url, auth, bodies, onProgress = () => {}) {
  const it = bodies[Symbol.iterator]();
  // One shared iterator: each request's body is made when a sender is free (1M events are ~700 MB of JSON).
  let sent = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let next = it.next(); !next.done; next = it.next()) {
        if (Date.now() > DEADLINE) throw new Error("soak: out of time while sending");
        const r = await fetchRetry(url, { method: "POST", headers: auth, body: next.value.body });
        if (r.status !== 200) throw new Error(`batch: ${r.status} ${await r.text()}`);
        sent += next.value.events;
        onProgress(sent);
      }
    }),
  );
  return { sent, perSecond: sent / ((Date.now() - t0) / 1000) };
}

const { dir, persist, dbFile } = freshState("soak");
const collector = await startWorker({ port: PORT, persist });
const noop = await startWorker({ config: path.join(ROOT, "bench/noop/wrangler.toml"), port: NOOP_PORT });
let result;
try {
  const site = await (await fetchRetry(`${base}/v1/sites`, { method: "POST", headers: admin, body: JSON.stringify({ name: "soak", domains: ["example.com"] }) })).json();
  const auth = { authorization: `Basic ${Buffer.from(`${site.write_key}:`).toString("base64")}`, "content-type": "application/json" };
  const bodies = function* (limit = Infinity) {
    let i = 0;
    for (const batch of requests()) {
      if (i++ >= limit) return;
      yield { body: JSON.stringify({ batch }), events: batch.length };
    }
  };

  // The baseline: the same first 20,000 events' requests to a Worker that does nothing.
  const noopRate = (await send(`http://127.0.0.1:${NOOP_PORT}/`, auth, bodies(Math.ceil(20_000 / PER_REQUEST)))).perSecond;

  const committed = async () => (await (await fetchRetry(`${base}/v1/status`, { headers: admin })).json()).last_24h.events;
  const lag = [];
  let lastProbe = 0;
  const ingest = await send(`${base}/v1/batch`, auth, bodies(), (sent) => {
    if (Date.now() - lastProbe < 10_000) return;
    lastProbe = Date.now();
    void committed().then((n) => lag.push(sent - n), () => {});
  });
  const sentAt = Date.now();
  for (let n = await committed(); n < ingest.sent; n = await committed()) {
    if (Date.now() > DEADLINE) throw new Error(`soak: only ${n} of ${ingest.sent} committed in time`);
    await sleep(2000);
  }
  const catchUpS = (Date.now() - sentAt) / 1000;

  // Read every event back: each message id exactly once.
  const seen = new Set();
  let doubled = 0;
  let cursor = "0";
  for (;;) {
    const r = await fetchRetry(`${base}/v1/export/events?since=${cursor}&limit=10000`, { headers: admin });
    const lines = (await r.text()).split("\n").filter(Boolean);
    for (const l of lines) {
      const id = JSON.parse(l).message_id;
      if (seen.has(id)) doubled++;
      seen.add(id);
    }
    const next = r.headers.get("x-next-cursor");
    if (!lines.length || next === cursor) break;
    cursor = next;
  }
  const lost = ingest.sent - seen.size;
  result = { ...ingest, noopRate, lag, catchUpS, lost, doubled };
} finally {
  collector.kill("SIGINT");
  noop.kill("SIGINT");
  await sleep(1500);
}

const d1Bytes = statSync(dbFile).size;
const sql = spawnSync("sqlite3", ["-readonly", dbFile, "SELECT sum(pgsize) FROM dbstat"], { encoding: "utf8" });
const pages = Number(sql.stdout.trim()) || d1Bytes;
console.log(`${result.sent} events sent at ${result.perSecond.toFixed(0)}/s (no-op Worker: ${result.noopRate.toFixed(0)}/s, ratio ${(result.perSecond / result.noopRate).toFixed(2)})`);
console.log(`consumer lag while sending (accepted, not yet committed), every 10 s: ${result.lag.join(", ")}`);
console.log(`caught up ${result.catchUpS.toFixed(0)} s after the last request`);
console.log(`D1 at the end: ${(pages / 1024 / 1024).toFixed(1)} MB (${(pages / result.sent).toFixed(1)} B/event)`);
console.log(`export: ${result.sent - result.lost} of ${result.sent} events, ${result.lost} lost, ${result.doubled} doubled`);
const pass = result.lost === 0 && result.doubled === 0;
recordResult({ name: "soak: events/s through wrangler dev", figure: result.perSecond, unit: "events/s", baseline: result.noopRate, baseline_name: "the same requests to a no-op Worker", budget: null, pass });
recordResult({ name: "soak: lost + doubled of 1M events", figure: result.lost + result.doubled, unit: "events", budget: 0, pass });
recordResult({ name: "soak: D1 bytes per event at the end", figure: pages / result.sent, unit: "B/event", budget: 120, pass: pages / result.sent <= 120 });
rmSync(dir, { recursive: true, force: true });
process.exit(pass ? 0 : 1);
