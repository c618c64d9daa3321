// One schema per route (issue 17): what the schema library costs the Worker, measured beside a
// baseline in the same run. Three fixture apps declare the same two routes (a query of enums,
// dates and a bounded integer; a JSON body): hand-written checks (the baseline), zod 4 with
// @hono/zod-openapi (what the collector uses), valibot with hono-openapi (the alternative).
//  1. bytes: each fixture bundled as the Worker is (esbuild, workerd conditions, minified, gzip -9),
//     and the collector's own Worker bundle;
//  2. CPU per request: app.request() of a valid and an invalid request, median of runs, as a
//     ratio to the baseline;
//     and the time to import each bundle in a fresh process (start-up);
//  3. CPU per ingested event: collector/ingest/validate.ts (hand-written) against a zod schema of
//     the same checks, over the same 10,000 events.
// Run: npm run bench -- schema
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { median, prng, recordResult, ROOT } from "./lib.mjs";

const WORKER = { bundle: true, format: "esm", platform: "neutral", mainFields: ["browser", "module", "main"], conditions: ["workerd", "worker", "browser"], logLevel: "error", external: ["cloudflare:*", "node:*"] };

async function bundleBytes(entry) {
  const r = await build({ ...WORKER, entryPoints: [path.join(ROOT, entry)], minify: true, write: false });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

async function load(entry) {
  const dir = await mkdtemp(path.join(tmpdir(), "foothold-bench-schema-"));
  const outfile = path.join(dir, "m.mjs");
  await build({ ...WORKER, entryPoints: [path.join(ROOT, entry)], outfile });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const FIXTURES = { plain: "bench/schema/plain.ts", zod: "bench/schema/zod.ts", valibot: "bench/schema/valibot.ts" };

// 1. Bytes.
console.log("bundle bytes (esbuild --minify, gzip -9):");
const sizes = {};
for (const [name, entry] of Object.entries(FIXTURES)) sizes[name] = await bundleBytes(entry);
for (const [name, s] of Object.entries(sizes)) {
  const extra = name === "plain" ? "baseline" : `+${kb(s.gzip - sizes.plain.gzip)} gzip over the baseline`;
  console.log(`  ${name.padEnd(8)} ${kb(s.min).padStart(9)} min ${kb(s.gzip).padStart(9)} gzip  (${extra})`);
}
const worker = await bundleBytes("collector/index.ts");
console.log(`  the collector Worker (collector/index.ts): ${kb(worker.min)} min, ${kb(worker.gzip)} gzip`);
recordResult({ name: "schema: two routes with zod + @hono/zod-openapi, bundle gzip", figure: sizes.zod.gzip / 1024, unit: "KB", baseline: sizes.plain.gzip / 1024, baseline_name: "the same routes with hand-written checks" });

// 1b. Start-up: importing each bundle in a fresh process (an isolate's cold start evaluates it all).
async function startupMs(entry) {
  const dir = await mkdtemp(path.join(tmpdir(), "foothold-bench-schema-"));
  const outfile = path.join(dir, "m.mjs");
  await build({ ...WORKER, entryPoints: [path.join(ROOT, entry)], outfile, minify: true });
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(performance.now() - t);`;
  const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })));
  await rm(dir, { recursive: true, force: true });
  return median(runs);
}
console.log("\nstart-up (import of the minified bundle in a fresh Node process, median of 5):");
const startup = {};
for (const [name, entry] of Object.entries({ ...FIXTURES, "collector app": "collector/http/app.ts" })) startup[name] = await startupMs(entry);
console.log(`  ${Object.entries(startup).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(", ")}`);

// 2. CPU per request.
const REQUESTS = {
  "valid query": () => new Request("http://x/v1/revenue?by=source&model=markov&from=2026-01-01&to=2026-03-31&currency=usd&limit=20"),
  "bad query": () => new Request("http://x/v1/revenue?model=bogus"),
  "valid body": () => new Request("http://x/v1/sites", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Marketing", domains: ["example.com", "docs.example.com"] }) }),
  "bad body": () => new Request("http://x/v1/sites", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "", domains: [] }) }),
};
const EXPECT = { "valid query": 200, "bad query": 400, "valid body": 201, "bad body": 400 };
const N = 3_000;
const RUNS = 7;
const apps = {};
for (const [name, entry] of Object.entries(FIXTURES)) apps[name] = (await load(entry)).app;

async function usPerRequest(app, make) {
  const reqs = Array.from({ length: N }, make);
  const start = performance.now();
  for (const r of reqs) await app.request(r);
  return ((performance.now() - start) * 1000) / N;
}

console.log(`\nCPU per request (app.request in Node ${process.version}, ${N} requests, median of ${RUNS} runs; request construction excluded):`);
for (const [what, make] of Object.entries(REQUESTS)) {
  for (const [name, app] of Object.entries(apps)) {
    const status = (await app.request(make())).status;
    if (status !== EXPECT[what]) throw new Error(`${name} answered ${status} to ${what}, not ${EXPECT[what]}`);
  }
  const times = { plain: [], zod: [], valibot: [] };
  for (const app of Object.values(apps)) await usPerRequest(app, make); // warm-up: JIT, caches
  for (let run = 0; run < RUNS; run++) for (const name of Object.keys(apps)) times[name].push(await usPerRequest(apps[name], make));
  const base = median(times.plain);
  if (what === "valid query") recordResult({ name: "schema: CPU per request, a valid query (zod)", figure: median(times.zod), unit: "µs", baseline: base, baseline_name: "hand-written checks" });
  const line = Object.keys(apps).map((name) => `${name} ${median(times[name]).toFixed(1)} µs (${(median(times[name]) / base).toFixed(2)}×)`).join(", ");
  console.log(`  ${what.padEnd(12)} ${line}`);
}

// 3. CPU per ingested event.
const { validateEvent } = await load("collector/ingest/validate.ts");
const { EventSchema } = await load("bench/schema/event.ts");
const random = prng(17);
const TYPES = ["page", "page", "page", "track", "track", "identify", "group"];
const events = Array.from({ length: 10_000 }, (_, i) => {
  const type = TYPES[Math.floor(random() * TYPES.length)];
  const e = { type, messageId: `m-${i}`, anonymousId: `a-${Math.floor(random() * 2000)}`, timestamp: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), context: { page: { url: "https://example.com/pricing?utm_source=x", path: "/pricing", referrer: "" }, userAgent: "Mozilla/5.0", library: { name: "analytics.js" } }, properties: { plan: "pro", value: i } };
  if (type === "track") e.event = random() < 0.05 ? "" : "signup_clicked";
  if (type === "identify") e.traits = { email: `p${i}@acme.com` };
  if (type === "group") e.groupId = "acme.com";
  return e;
});
const now = Date.UTC(2026, 10, 2);
const newId = () => "generated";
let agree = 0;
for (const e of events) if (validateEvent(e, now, newId).ok === EventSchema.safeParse(e).success) agree++;
if (agree !== events.length) throw new Error(`the zod schema and validateEvent disagree on ${events.length - agree} events`);

const perEvent = (fn) => {
  const start = performance.now();
  for (const e of events) fn(e);
  return ((performance.now() - start) * 1e6) / events.length;
};
const hand = [];
const zod = [];
perEvent((e) => validateEvent(e, now, newId)); // warm-up
perEvent((e) => EventSchema.safeParse(e));
for (let run = 0; run < RUNS; run++) {
  hand.push(perEvent((e) => validateEvent(e, now, newId)));
  // The 32 KB limit needs the serialized size either way; zod cannot say it, so it is added here.
  zod.push(perEvent((e) => EventSchema.safeParse(e).success && new TextEncoder().encode(JSON.stringify(e)).length <= 32 * 1024));
}
console.log(`\nCPU per ingested event (${events.length.toLocaleString("en")} Segment events, median of ${RUNS} runs):`);
console.log(`  hand-written validateEvent ${median(hand).toFixed(0)} ns (baseline), zod schema of the same checks plus the size check (no depth check) ${median(zod).toFixed(0)} ns (${(median(zod) / median(hand)).toFixed(2)}×)`);
recordResult({ name: "schema: CPU per ingested event, a zod schema", figure: median(zod), unit: "ns", baseline: median(hand), baseline_name: "validateEvent (hand-written, what ingest runs)" });
