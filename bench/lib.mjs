// What every benchmark needs: the project's tools on PATH, a fresh local state with the
// migrations applied, and Workers started with `wrangler dev` on fixed local ports.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const BIN = path.join(ROOT, "node_modules/.bin");
export const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}`, WRANGLER_SEND_METRICS: "false", CI: "true" };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Exits with a sentence when a command-line tool the bench needs is missing. */
export function requireTool(name, args, apt) {
  if (spawnSync(name, args).error) {
    console.error(`${path.basename(process.argv[1])}: needs ${name} (apt-get install -y ${apt})`);
    process.exit(1);
  }
}

/** A temp dir with a local D1 migrated as `npm run dev` does; `dbFile` is its SQLite file. */
export function freshState(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), `foothold-${prefix}-`));
  const persist = path.join(dir, "state");
  const applied = spawnSync(path.join(BIN, "wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { cwd: ROOT, env, encoding: "utf8" });
  if (applied.status !== 0) throw new Error(`migrations failed: ${applied.stderr}`);
  const d1Dir = path.join(persist, "v3/d1/miniflare-D1DatabaseObject");
  return { dir, persist, dbFile: path.join(d1Dir, readdirSync(d1Dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")) };
}

/**
 * A state `freshState` made and a bench kept (BENCH_KEEP=1 prints its dir), to measure again
 * without seeding again: BENCH_STATE=<dir>. Null when `dir` is not set.
 */
export function keptState(dir) {
  if (!dir) return null;
  const persist = path.join(dir, "state");
  const d1Dir = path.join(persist, "v3/d1/miniflare-D1DatabaseObject");
  return { dir, persist, dbFile: path.join(d1Dir, readdirSync(d1Dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")), kept: true };
}

/** A TCP port free right now on 127.0.0.1 (benches of several engineers may run at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * `wrangler dev` of a config on a port (a free one when none is given), resolved once it answers;
 * `child.url` is its address, `child.log` keeps its output's tail, `child.queueMs` the time its
 * queue consumer has spent so far.
 */
export async function startWorker({ config = path.join(ROOT, "wrangler.toml"), port, persist, vars = {} }) {
  port ??= await freePort();
  const args = ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0", "--show-interactive-dev-session=false", "--var", "ADMIN_TOKEN:bench", "--var", "HASH_SECRET:bench"];
  if (persist) args.push("--persist-to", persist);
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(path.join(BIN, "wrangler"), args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.log = "";
  child.port = port;
  child.url = `http://127.0.0.1:${port}`;
  // wrangler logs each queue consumer batch as "QUEUE <queue> acked/total (ms)": summed here.
  child.queueMs = 0;
  let partial = "";
  const keep = (d) => {
    child.log = (child.log + d).slice(-20_000);
    const lines = (partial + d).split("\n");
    partial = lines.pop();
    for (const line of lines) {
      const m = /QUEUE \S+ \d+\/\d+ \((\d+)ms\)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) child.queueMs += Number(m[1]);
    }
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev on ${port} exited: ${child.log.slice(-2000)}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return child;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`worker on ${port} did not start`);
}

/** fetch, again on a dropped connection (an idle keep-alive socket the server closed). */
export async function fetchRetry(url, init, tries = 5) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(200 * i);
    }
  }
}

/**
 * Imports a TypeScript module of the collector, bundled with the Worker's resolve conditions
 * so the code measured is the code a Worker runs (Node cannot import the .ts directly).
 */
export async function importCollector(relativePath) {
  const { build } = await import("esbuild");
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { pathToFileURL } = await import("node:url");
  const dir = await mkdtemp(path.join(tmpdir(), "foothold-bench-"));
  const outfile = path.join(dir, "module.mjs");
  await build({
    entryPoints: [path.join(ROOT, relativePath)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    // "neutral" reads no main fields by default; CommonJS-only packages (ua-parser-js) need "main".
    mainFields: ["module", "main"],
    outfile,
    logLevel: "error",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** mulberry32: a seeded PRNG, so every run measures the same data. */
export function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const RESULTS_FILE = path.join(ROOT, "bench/results.json");

/**
 * Adds one figure to bench/results.json (`npm run bench` starts it empty): name, figure, unit,
 * the same-run baseline, their ratio (figure / baseline), the budget and whether it was met.
 * A budget is a bound on the figure (`budget_on: "figure"`, e.g. ≤ 100 ms) or on the ratio
 * (`budget_on: "ratio"`, e.g. ≥ 0.67 × the no-op Worker); `budget_op` says which way. Without
 * an explicit `pass`, it is worked out from the budget. Answers the pass (null: no budget).
 */
export function recordResult({ name, figure, unit, baseline = null, baseline_name = null, budget = null, budget_op = "<=", budget_on = "figure", pass = null, note = null }) {
  let results = [];
  try {
    results = JSON.parse(readFileSync(RESULTS_FILE, "utf8"));
  } catch {
    // first figure of this run
  }
  const ratio = baseline ? figure / baseline : null;
  if (pass === null && budget !== null) {
    const value = budget_on === "ratio" ? ratio : figure;
    pass = value !== null && Number.isFinite(value) && (budget_op === ">=" ? value >= budget : value <= budget);
  }
  const row = {
    name, figure: round(figure), unit, baseline: baseline === null ? null : round(baseline), baseline_name,
    ratio: ratio === null ? null : round(ratio), budget, budget_op, budget_on, pass, note, at: new Date().toISOString(),
    // The machine is shared: its 1-minute load average when the figure was taken, for context.
    load: round(loadavg()[0]),
  };
  // A figure measured again keeps its place, so the table's order stays the run's.
  const at = results.findIndex((r) => r.name === name);
  if (at >= 0) results[at] = row;
  else results.push(row);
  writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + "\n");
  return pass;
}
const round = (x) => Math.round(x * 1000) / 1000;

/**
 * Times `subject` and `baseline` alternately — baseline, subject, baseline, …, baseline — so
 * drift in the machine's load reaches both alike; answers each one's median (ms) and every run.
 * `runs` counts the subject's runs; the baseline runs once more. Each function may answer a
 * value (the last one is kept, to check the answers agree).
 */
export async function bracket(subject, baseline, runs = 5) {
  const times = { subject: [], baseline: [] };
  const last = {};
  const once = async (kind, fn) => {
    const start = performance.now();
    last[kind] = await fn();
    times[kind].push(performance.now() - start);
  };
  for (let i = 0; i < runs; i++) {
    await once("baseline", baseline);
    await once("subject", subject);
  }
  await once("baseline", baseline);
  return { subject: median(times.subject), baseline: median(times.baseline), times, answers: last };
}
