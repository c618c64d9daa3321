#!/usr/bin/env node
// Ingest throughput: requests/s of POST /v1/batch and POST /e on the collector under `wrangler
// dev`, beside two baselines measured in the same run, each in its own `wrangler dev` (three
// workerd processes on this machine): a no-op Worker that reads the body and answers, and a
// Worker that only puts the body on a queue. Bracketed: per endpoint, ROUNDS times no-op,
// queue-only, collector, then queue-only and no-op once more; medians. After each collector
// run the bench waits until its queue consumer has stored every accepted event (GET /v1/status)
// so the next measurement does not pay for it.
// Budget: the collector serves ≥ 0.75 × the no-op Worker's requests per second (the goal; SPEC §9's
// floor is 2/3). Needs `wrk` (Debian package). Local numbers are ratios, not capacity claims.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, env, freshState, median, recordResult, requireTool, sleep, startWorker } from "./lib.mjs";
import { api, waitForStored } from "./seed.mjs";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BUDGET = 0.75;
const SPEC_FLOOR = 2 / 3;
requireTool("wrk", ["--version"], "wrk");

const { dir, persist } = freshState("ingest");
spawnSync(process.execPath, ["scripts/build-tracker.mjs"], { cwd: ROOT, env, stdio: "ignore" });

// BENCH_CONFIG: another wrangler config for the collector (e.g. without the queue consumer).
const collector = await startWorker({ config: process.env.BENCH_CONFIG, persist });
const noop = await startWorker({ config: path.join(ROOT, "bench/noop/wrangler.toml") });
const queueOnly = await startWorker({ config: path.join(ROOT, "bench/queue-only/wrangler.toml") });
let runs = 0;
const passes = [];
try {
  const site = await api(collector.url, "/v1/sites", { method: "POST", body: JSON.stringify({ name: "bench", domains: ["example.com"] }) });

  // Each run's script has its own prefix: wrk's Lua starts every run from the same random seed.
  const scripts = {
    // A batch of 10 events with fresh messageIds (a Segment SDK's usual flush).
    batch: (run) => `
counter = 0
request = function()
  counter = counter + 1
  local events = {}
  for i = 1, 10 do
    events[i] = string.format('{"type":"track","event":"Viewed","messageId":"b${run}-%d-%d","anonymousId":"anon-%d","properties":{"url":"https://example.com/p?utm_source=google&utm_medium=cpc"}}', counter, i, counter % 500)
  end
  return wrk.format("POST", "/v1/batch", {["Content-Type"]="application/json", ["Authorization"]="Basic ${Buffer.from(`${site.write_key}:`).toString("base64")}"}, '{"batch":[' .. table.concat(events, ",") .. ']}')
end`,
    // One page view as the snippet sends it.
    e: (run) => `
counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"k":"${site.write_key}","a":"anon-%d","e":[{"i":"e${run}-%d","t":"page","ts":%d,"u":"https://example.com/pricing","r":"https://www.google.com/"}]}', counter % 500, counter, os.time() * 1000)
  return wrk.format("POST", "/e", {["Content-Type"]="text/plain", ["Origin"]="https://example.com", ["User-Agent"]="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}, body)
end`,
  };

  function wrk(worker, pathName, kind) {
    const script = path.join(dir, `run-${++runs}.lua`);
    writeFileSync(script, scripts[kind](runs));
    const r = spawnSync("wrk", ["-t1", "-c16", `-d${DURATION}s`, "-s", script, `${worker.url}${pathName}`], { encoding: "utf8" });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN);
    const requests = Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? NaN);
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(r.stdout)?.[1] ?? 0);
    if (!Number.isFinite(rps)) throw new Error(`wrk: ${r.stdout}${r.stderr}`);
    return { rps, requests, non2xx };
  }

  let accepted = 0;
  for (const [name, pathName, kind, perRequest] of [["/v1/batch (10 events)", "/v1/batch", "batch", 10], ["/e (1 page view)", "/e", "e", 1]]) {
    const m = { noop: [], queue: [], collector: [], errors: 0, consumerMs: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      m.noop.push(wrk(noop, pathName, kind).rps);
      m.queue.push(wrk(queueOnly, pathName, kind).rps);
      const queueMsBefore = collector.queueMs;
      const real = wrk(collector, pathName, kind);
      m.collector.push(real.rps);
      m.errors += real.non2xx;
      accepted += (real.requests - real.non2xx) * perRequest;
      await waitForStored(collector.url, accepted, { timeoutMs: 600_000 });
      // The consumer's time per second of load (locally it shares the machine with ingest).
      m.consumerMs += (collector.queueMs - queueMsBefore) / DURATION / ROUNDS;
    }
    m.queue.push(wrk(queueOnly, pathName, kind).rps);
    m.noop.push(wrk(noop, pathName, kind).rps);

    const [base, queued, real] = [median(m.noop), median(m.queue), median(m.collector)];
    const fmt = (xs) => xs.map((x) => Math.round(x)).join(", ");
    console.log(`${name}: collector ${Math.round(real)} req/s (${fmt(m.collector)}), no-op ${Math.round(base)} (${fmt(m.noop)}), queue-only ${Math.round(queued)} (${fmt(m.queue)})`);
    console.log(`  ratio ${(real / base).toFixed(2)} × no-op (queue-only ${(queued / base).toFixed(2)} ×); ${m.errors} non-2xx; consumer ${Math.round(m.consumerMs)} ms per second of load`);
    if (m.errors > 0) throw new Error(`${name}: the collector answered ${m.errors} requests with an error`);
    passes.push(
      recordResult({
        name: `ingest: POST ${pathName}, ${perRequest === 1 ? "1 page view" : `${perRequest} events`} a request`,
        figure: real, unit: "req/s", baseline: base, baseline_name: "a no-op Worker",
        budget: BUDGET, budget_op: ">=", budget_on: "ratio",
        note: `SPEC floor 2/3 ${real / base >= SPEC_FLOOR ? "met" : "missed"}; consumer ${Math.round(m.consumerMs)} ms/s of load`,
      }),
    );
    recordResult({
      name: `ingest: POST ${pathName} on a Worker that only queues the body`,
      figure: queued, unit: "req/s", baseline: base, baseline_name: "a no-op Worker",
      note: "what the local queue costs alone",
    });
  }
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
process.exitCode = passes.includes(false) ? 1 : 0;
