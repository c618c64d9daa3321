#!/usr/bin/env node
// Alert latency (SPEC §9, §11): the time from the ingest request to the receiver's POST for a
// page_view rule, through `wrangler dev` with its local queues (events queue → consumer → alerts
// queue → delivery), median and worst over 50 alerts. Budget: ≤ 10 s. Baseline from the same
// run, for the same events: the time from the ingest request until the event is visible in
// /v1/export/events, i.e. the events consumer's own latency; the difference is what alerting adds
// (the alerts queue's batch wait, reading the account, the POST).
import { createServer } from "node:http";
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fetchRetry, freshState, median, recordResult, sleep, startWorker } from "./lib.mjs";

const ALERTS = Number(process.env.BENCH_ALERTS ?? 50);
const BUDGET_MS = 10_000;
const PORT = 8895;
const base = `http://127.0.0.1:${PORT}`;
const admin = { authorization: "Bearer bench", "content-type": "application/json" };

// The receiver: when each alert's POST arrived, by the page path it names.
const arrived = new Map();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const at = performance.now();
    try {
      const path = JSON.parse(body).page?.path;
      if (path && !arrived.has(path)) arrived.set(path, at);
    } catch {
      // not an alert body
    }
    res.writeHead(200).end("ok");
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const { dir, persist } = freshState("alerts");
const worker = await startWorker({ port: PORT, persist });
const alertMs = [];
const exportMs = [];
try {
  const post = async (path, body, headers = admin, method = "POST") => {
    const r = await fetchRetry(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const site = await post("/v1/sites", { name: "bench", domains: ["example.com"] });
  await post("/v1/accounts", [{ domain: "acme.com", name: "Acme", segment: "target" }], admin, "PUT");
  // Cooldown 0: every view fires, so one visitor gives 50 alerts.
  await post("/v1/alerts", { name: "bench", when: { kind: "page_view", path: "/pricing*", segment: "target" }, url: receiverUrl, cooldown_hours: 0 });
  const ingest = { authorization: `Basic ${Buffer.from(`${site.write_key}:`).toString("base64")}`, "content-type": "application/json" };
  let n = 0;
  const event = (type, fields) => ({ type, messageId: `bench-alert-${++n}`, anonymousId: "bench-visitor", timestamp: new Date().toISOString(), ...fields });
  await post("/v1/batch", { batch: [event("identify", { traits: { email: "alice@acme.com" } })] }, ingest);

  let cursor = "0";
  const visibleIds = new Set();
  const exportUntil = async (messageId) => {
    while (!visibleIds.has(messageId)) {
      const r = await fetchRetry(`${base}/v1/export/events?since=${cursor}&limit=1000`, { headers: admin });
      const lines = (await r.text()).split("\n").filter(Boolean);
      for (const l of lines) visibleIds.add(JSON.parse(l).message_id);
      cursor = r.headers.get("x-next-cursor") ?? cursor;
      if (!visibleIds.has(messageId)) await sleep(20);
    }
    return performance.now();
  };

  for (let i = 0; i < ALERTS; i++) {
    const path = `/pricing/bench-${i}`;
    const e = event("page", { properties: { url: `https://example.com${path}`, path } });
    const t0 = performance.now();
    await post("/v1/batch", { batch: [e] }, ingest);
    const visible = await exportUntil(e.messageId);
    for (let waited = 0; !arrived.has(path); waited++) {
      if (waited > 3000) throw new Error(`alert ${i} did not arrive within 60 s`);
      await sleep(20);
    }
    exportMs.push(visible - t0);
    alertMs.push(arrived.get(path) - t0);
  }
} finally {
  worker.kill("SIGINT");
  receiver.close();
  await sleep(1500);
  rmSync(dir, { recursive: true, force: true });
}

const worst = (xs) => Math.max(...xs);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${ALERTS} page_view alerts, one at a time: ingest → receiver median ${s(median(alertMs))}, worst ${s(worst(alertMs))} (budget ${s(BUDGET_MS)})`);
console.log(`baseline, the same events: ingest → visible in /v1/export/events median ${s(median(exportMs))}, worst ${s(worst(exportMs))}`);
const pass = worst(alertMs) <= BUDGET_MS;
recordResult({ name: "alerts: ingest → receiver, median of 50", figure: median(alertMs), unit: "ms", baseline: median(exportMs), baseline_name: "ingest → visible in /v1/export/events, median", budget: BUDGET_MS, pass: median(alertMs) <= BUDGET_MS });
recordResult({ name: "alerts: ingest → receiver, worst of 50", figure: worst(alertMs), unit: "ms", baseline: worst(exportMs), baseline_name: "ingest → visible in /v1/export/events, worst", budget: BUDGET_MS, pass });
process.exit(pass ? 0 : 1);
