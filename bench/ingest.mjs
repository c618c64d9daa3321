#!/usr/bin/env node
// Ingest throughput: requests/s of POST /v1/batch and POST /e on the collector under
// `wrangler dev` (local workerd), beside a no-op Worker on the same workerd, in one run.
// Budget (SPEC §9): the collector serves ≥ 2/3 of the no-op Worker's requests per second.
// Needs `wrk` (Debian package). Local numbers are ratios, not capacity claims.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, env, fetchRetry, freshState, requireTool, sleep, startWorker } from "./lib.mjs";

const DURATION = process.env.BENCH_SECONDS ?? "10";
requireTool("wrk", ["--version"], "wrk");

function wrk(url, script) {
  const r = spawnSync("wrk", ["-t1", "-c16", `-d${DURATION}s`, "-s", script, url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { rps, non2xx };
}

const { dir, persist } = freshState("ingest");
spawnSync(process.execPath, ["scripts/build-tracker.mjs"], { cwd: ROOT, env, stdio: "ignore" });

// BENCH_CONFIG: another wrangler config for the collector (e.g. without the queue consumer).
const collector = await startWorker({ config: process.env.BENCH_CONFIG, port: 8891, persist });
const noop = await startWorker({ config: path.join(ROOT, "bench/noop/wrangler.toml"), port: 8892 });
const queueOnly = await startWorker({ config: path.join(ROOT, "bench/queue-only/wrangler.toml"), port: 8893 });
try {
  const site = await (await fetch("http://127.0.0.1:8891/v1/sites", {
    method: "POST",
    headers: { authorization: "Bearer bench", "content-type": "application/json" },
    body: JSON.stringify({ name: "bench", domains: ["example.com"] }),
  })).json();

  // Each request: a batch of 10 events with fresh messageIds (a Segment SDK's usual flush).
  const batchScript = path.join(dir, "batch.lua");
  writeFileSync(batchScript, `
counter = 0
request = function()
  counter = counter + 1
  local events = {}
  for i = 1, 10 do
    events[i] = string.format('{"type":"track","event":"Viewed","messageId":"b-%d-%d-%d","anonymousId":"anon-%d","properties":{"url":"https://example.com/p?utm_source=google&utm_medium=cpc"}}', math.random(1e9), counter, i, counter % 500)
  end
  return wrk.format("POST", "/v1/batch", {["Content-Type"]="application/json", ["Authorization"]="Basic ${Buffer.from(`${site.write_key}:`).toString("base64")}"}, '{"batch":[' .. table.concat(events, ",") .. ']}')
end`);
  const trackerScript = path.join(dir, "e.lua");
  writeFileSync(trackerScript, `
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"k":"${site.write_key}","a":"anon-%d","e":[{"i":"e-%d-%d","t":"page","ts":%d,"u":"https://example.com/pricing","r":"https://www.google.com/"}]}', counter % 500, math.random(1e9), counter, os.time() * 1000)
  return wrk.format("POST", "/e", {["Content-Type"]="text/plain", ["Origin"]="https://example.com", ["User-Agent"]="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}, body)
end`);

  // The collector's queue consumer keeps working after wrk stops; wait until it has stored
  // everything, so the next measurement (of either Worker) doesn't pay for it.
  let cursor = "0";
  async function drained() {
    for (let quiet = 0; quiet < 3; ) {
      const r = await fetchRetry(`http://127.0.0.1:8891/v1/export/events?since=${cursor}&limit=2000`, { headers: { authorization: "Bearer bench" } });
      const body = await r.text();
      if (!r.ok) throw new Error(`export answered ${r.status}: ${body.slice(0, 300)}`);
      const lines = body.split("\n").filter(Boolean).length;
      cursor = r.headers.get("x-next-cursor") ?? cursor;
      quiet = lines === 0 ? quiet + 1 : 0;
      if (lines === 0) await sleep(500);
    }
  }

  const rows = [];
  for (const [name, script, pathName] of [["/v1/batch (10 events)", batchScript, "/v1/batch"], ["/e (1 page view)", trackerScript, "/e"]]) {
    // Baseline before and after, so drift in the machine's load shows up in both.
    const before = wrk(`http://127.0.0.1:8892${pathName}`, script);
    const queued = wrk(`http://127.0.0.1:8893${pathName}`, script);
    const queueMsBefore = collector.queueMs;
    const real = wrk(`http://127.0.0.1:8891${pathName}`, script);
    await drained();
    // The consumer's time per second of load: it shares the process with ingest locally only.
    const consumerMs = collector.queueMs - queueMsBefore;
    const after = wrk(`http://127.0.0.1:8892${pathName}`, script);
    const base = (before.rps + after.rps) / 2;
    rows.push({
      endpoint: name,
      noop_rps: Math.round(base),
      queue_only_rps: Math.round(queued.rps),
      collector_rps: Math.round(real.rps),
      ratio: +(real.rps / base).toFixed(2),
      queue_only_ratio: +(queued.rps / base).toFixed(2),
      collector_errors: real.non2xx,
      consumer_ms_per_s: Math.round(consumerMs / Number(DURATION)),
      budget: "≥ 0.67",
    });
  }
  console.table(rows);
  console.log(JSON.stringify({ bench: "ingest", rows }));
} catch (err) {
  console.error(`collector log (tail):\n${collector.log.slice(-4000)}`);
  throw err;
} finally {
  collector.kill("SIGTERM");
  noop.kill("SIGTERM");
  queueOnly.kill("SIGTERM");
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
