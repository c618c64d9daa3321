// Warehouse export: events per second written to Parquet by the Worker's pure-JS writer, beside
// DuckDB converting the same events, as NDJSON, to Parquet on this machine in the same run.
// Run: npm exec -- node bench/parquet.mjs   (EVENTS=20000 for a quick run)
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { importCollector, prng } from "./lib.mjs";

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const RUNS = 3;

const dir = await mkdtemp(path.join(tmpdir(), "foothold-parquet-bench-"));
const { eventsToParquet } = await importCollector("collector/export/parquet.ts");

const random = prng(20260301);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const maybe = (p, v) => (random() < p ? v : null);

const PATHS = ["/", "/pricing", "/blog/warehouse-export", "/docs/api", "/customers", "/contact"];
const CHANNELS = ["Direct", "Organic Search", "Paid Search", "Paid Social", "Email", "Referral"];
const COMPANIES = ["acme.com", "globex.io", "initech.de", "umbrella.co.uk", "hooli.xyz", null, null, null];
const start = Date.parse("2026-03-01T00:00:00.000Z");

function syntheticEvent(i) {
  const at = start + Math.floor((i / EVENTS) * 86_400_000);
  const p = pick(PATHS);
  const utm = random() < 0.3;
  const track = random() < 0.4;
  return {
    message_id: `m-${i.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`,
    type: track ? "track" : "page",
    event: track ? pick(["form_start", "form_submit", "download", "outbound", "engagement"]) : null,
    site_id: "site_1",
    anonymous_id: `a-${Math.floor(random() * EVENTS / 8)}`,
    user_id: maybe(0.1, `u-${Math.floor(random() * 1000)}`),
    session_id: `s_${Math.floor(random() * EVENTS / 3)}`,
    account_domain: pick(COMPANIES),
    group_id: null,
    previous_id: null,
    timestamp: new Date(at - Math.floor(random() * 2000)).toISOString(),
    received_at: new Date(at).toISOString(),
    url: `https://example.com${p}${utm ? "?utm_source=linkedin&utm_medium=paid_social" : ""}`,
    path: p,
    title: `Example — ${p}`,
    referrer: maybe(0.4, "https://www.google.com/"),
    referrer_host: maybe(0.4, "google.com"),
    utm_source: utm ? "linkedin" : null,
    utm_medium: utm ? "paid_social" : null,
    utm_campaign: utm ? pick(["q1-abm", "retarget", "launch"]) : null,
    utm_term: null,
    utm_content: null,
    gclid: maybe(0.05, `Cj0${Math.floor(random() * 1e9)}`),
    msclkid: null,
    li_fat_id: utm ? `li${Math.floor(random() * 1e6)}` : null,
    fbclid: null,
    ttclid: null,
    channel: utm ? "Paid Social" : pick(CHANNELS),
    country: pick(["DE", "US", "GB", "FR", "BR"]),
    region: pick(["Berlin", "California", "England", null]),
    city: pick(["Berlin", "San Francisco", "London", "São Paulo", null]),
    asn: pick([3320, 7922, 2856, 16509, null]),
    as_org: pick(["Deutsche Telekom AG", "Comcast", "BT", "Amazon", null]),
    user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    browser: pick(["Chrome", "Safari", "Firefox", "Edge"]),
    os: pick(["Mac OS", "Windows", "Linux", "iOS"]),
    device: pick(["desktop", "desktop", "mobile", "tablet"]),
    is_bot: random() < 0.05,
    bot_reason: null,
    email_hash: null,
    email_domain: null,
    properties: JSON.stringify(track ? { form: "demo", fields: 4, value: Math.round(random() * 100) / 10, tags: ["a", "b"] } : { path: p }),
    traits: "{}",
  };
}

const rows = Array.from({ length: EVENTS }, (_, i) => syntheticEvent(i));
const ndjson = rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const ndjsonFile = path.join(dir, "events.ndjson");
await writeFile(ndjsonFile, ndjson);

/** Median of RUNS timings of fn, in milliseconds, and the last result. */
async function time(fn) {
  const ms = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)], result };
}

eventsToParquet(rows.slice(0, 2_000)); // warm up the JIT
const write = await time(() => eventsToParquet(rows));
// The Worker's real job (collector/export/run.ts): each event's stored JSON text parsed, then
// written as Parquet — the same NDJSON DuckDB converts.
const lines = ndjson.split("\n").filter(Boolean);
const compact = await time(() => eventsToParquet(lines.map((l) => JSON.parse(l))));
const ours = path.join(dir, "ours.parquet");
await writeFile(ours, new Uint8Array(compact.result));

const db = await (await DuckDBInstance.create(":memory:")).connect();
const threads = (await db.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t;
const theirs = path.join(dir, "duckdb.parquet");
const copy = () => db.run(`COPY (SELECT * FROM read_json_auto('${ndjsonFile}')) TO '${theirs}' (FORMAT parquet)`);
const duck = await time(copy);
// Per core, too: the Worker's writer has one thread.
await db.run("SET threads = 1");
const duck1 = await time(copy);
const check = (await db.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM read_parquet('${ours}')`)).getRowObjectsJS()[0];
if (Number(check.n) !== EVENTS || Number(check.d) !== EVENTS) throw new Error(`DuckDB read ${check.n} rows, ${check.d} distinct, from our file`);

const rate = (ms) => Math.round(EVENTS / (ms / 1000));
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const fmt = (n) => n.toLocaleString("en-US");
console.log(`${fmt(EVENTS)} events, ${mb(ndjson.length)} MB NDJSON; median of ${RUNS} runs; Node ${process.version}, ${availableParallelism()} cores`);
console.log(`eventsToParquet (rows → Parquet, pure JS, 1 thread):  ${fmt(rate(write.ms))} events/s  (${write.ms.toFixed(0)} ms, ${mb(write.result.byteLength)} MB)`);
console.log(`export path (JSON lines → Parquet, pure JS, 1 thread): ${fmt(rate(compact.ms))} events/s  (${compact.ms.toFixed(0)} ms, ${mb(compact.result.byteLength)} MB)`);
console.log(`DuckDB COPY read_json_auto → Parquet (${threads} threads):  ${fmt(rate(duck.ms))} events/s  (${duck.ms.toFixed(0)} ms, ${mb((await stat(theirs)).size)} MB)`);
console.log(`DuckDB COPY read_json_auto → Parquet (1 thread):  ${fmt(rate(duck1.ms))} events/s  (${duck1.ms.toFixed(0)} ms)`);
console.log(`ratio export path / DuckDB: ${(duck.ms / compact.ms).toFixed(2)} (${threads} threads), ${(duck1.ms / compact.ms).toFixed(2)} (1 thread); eventsToParquet / DuckDB: ${(duck.ms / write.ms).toFixed(2)}`);
console.log(`DuckDB reads our file: ${fmt(Number(check.n))} rows, ${fmt(Number(check.d))} distinct message_id`);
db.closeSync();
await rm(dir, { recursive: true, force: true });
