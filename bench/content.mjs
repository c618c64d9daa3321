#!/usr/bin/env node
// GET /v1/content and GET /v1/campaigns over 10,000 deals and 1,000,000 sessions (SPEC §9: ≤ 1 s).
//
// What is synthetic: the traffic. Its rows are generated inside SQLite (recursive CTEs) straight
// into the local D1 file that `wrangler d1 migrations apply --local` creates, in exactly the row
// shapes the queue consumer and the imports write — sessions with their marks JSON
// ([dt, code, path id, campaign hash], collector/pipeline/marks.ts) and touchpoint columns, the
// paths dictionary, visitor_identities, people, visitor_moments (identify, form_submit),
// accounts, deals (as PUT /v1/deals stores them) and spend (as PUT /v1/spend stores them). The
// patterns (which visitor, page, campaign, day) are arithmetic, not drawn from real sites; the
// code under test and the SQL it runs are the collector's own.
//
// Three figures per report, from the same run on the same file:
//   api      the median of requests to the collector under `wrangler dev` (workerd + local D1)
//   node     the report's own code (bundled as the Worker bundles it) over node:sqlite in-process
//   sqlite3  every SQL statement that report ran, replayed with its parameters in the sqlite3 CLI
//            (the floor: the queries alone, no Worker, no D1 hop, no JavaScript)
// Needs /usr/bin/sqlite3 (Debian package sqlite3) and Node 22's node:sqlite (`npm run bench`).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fetchRetry, freshState, importCollector, median, recordResult, requireTool, sleep, startWorker } from "./lib.mjs";

const ACCOUNTS = 10_000;
const DEALS = Number(process.env.BENCH_DEALS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const VISITORS = Math.round(SESSIONS * 0.3); // ~3.3 sessions per visitor
const DAYS = Number(process.env.BENCH_DAYS ?? 365); // sessions over the last year (the attribution lookback)
const PATHS = 200;
const CAMPAIGNS = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BUDGET_MS = 1_000;

requireTool("sqlite3", ["-version"], "sqlite3");

const t0 = Date.now();
const { dir, persist, dbFile } = freshState("content");
// Half a gigabyte of SQLite: removed however the run ends, unless asked to keep it.
process.on("exit", () => {
  if (!process.env.BENCH_KEEP && !process.env.BENCH_LOAD_ONLY) rmSync(dir, { recursive: true, force: true });
});

const ts = (daysAgo, seconds) => `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'start of day', '-' || (${daysAgo}) || ' days', '+' || (${seconds}) || ' seconds')`;
// Session i: visitor (i · 7919) mod VISITORS, day (i + ⌊i / ACCOUNTS⌋) mod DAYS before today, 1–4 pages
// (k = 1 + i mod 4) 45 s apart, each followed by an engagement report 30 s later; one in five
// sessions comes from one of 50 campaigns (google/cpc, linkedin/paid_social, facebook/paid).
const page = (j) => `((i * 7 + ${j} * 13) % ${PATHS}) + 1`;
const campaign = `((i / 5) % ${CAMPAIGNS})`;
const pageMark = (j) => (j === 0 ? `CASE WHEN i % 5 = 0 THEN json_array(0, 0, ${page(0)}, 'c' || ${campaign}) ELSE json_array(0, 0, ${page(0)}) END` : `json_array(150, 0, ${page(j)})`);
const marks = (k) => `json_array(${Array.from({ length: k }, (_, j) => `${pageMark(j)}, json_array(300, 1, 250)`).join(", ")})`;
const sql = `
PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ACCOUNTS})
INSERT INTO accounts (id, domain, name, crm_id, segment, source, created_at, updated_at)
SELECT i, 'acct' || i || '.com', 'Account ' || i, 'crm-' || i, CASE WHEN (i / 7) % 5 = 0 THEN 'target' ELSE 'customer' END,
       'import', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
INSERT INTO account_domains (domain, account_id) SELECT domain, id FROM accounts;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PATHS})
INSERT INTO paths (id, path) SELECT i, CASE i WHEN 1 THEN '/' WHEN 2 THEN '/pricing' WHEN 3 THEN '/demo' ELSE '/blog/post-' || i END FROM n;
-- 60% of visitors resolve to an account (email for half of those, so a person; ASN for the rest).
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${VISITORS - 1})
INSERT INTO visitor_identities (anonymous_id, site_id, person_id, account_id, method, confidence, resolved_at, first_seen, last_seen)
SELECT printf('00000000-0000-4000-8000-%012d', i), 'site_bench',
       CASE WHEN i % 10 < 3 THEN printf('%064x', i) END,
       CASE WHEN i % 10 < 6 THEN (i * 7) % ${ACCOUNTS} + 1 END,
       CASE WHEN i % 10 < 3 THEN 'email' WHEN i % 10 < 6 THEN 'asn' END,
       CASE WHEN i % 10 < 3 THEN 0.9 WHEN i % 10 < 6 THEN 0.5 END,
       CASE WHEN i % 10 < 6 THEN '2026-01-01T00:00:00.000Z' END, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
INSERT INTO people (id, email_domain, first_seen, last_seen)
SELECT person_id, 'acct' || account_id || '.com', first_seen, last_seen FROM visitor_identities WHERE person_id IS NOT NULL;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${SESSIONS - 1}),
t AS (SELECT i, (i + (i / ${ACCOUNTS})) % ${DAYS} AS ago, (i % 600) * 60 AS sec, 1 + i % 4 AS k FROM n)
INSERT INTO sessions (anonymous_id, id, started_at, ended_at, channel, source, medium, campaign, landing_page, referrer_host, pageviews, events, is_bot, bot_reason, marks)
SELECT printf('00000000-0000-4000-8000-%012d', (i * 7919) % ${VISITORS}), i + 1, ${ts("ago", "sec")}, ${ts("ago", "sec + 45 * (k - 1) + 30")},
       CASE WHEN i % 5 = 0 THEN CASE ${campaign} % 3 WHEN 0 THEN 'Paid Search' ELSE 'Paid Social' END
            ELSE CASE i % 4 WHEN 0 THEN 'Direct' WHEN 1 THEN 'Organic Search' WHEN 2 THEN 'Referral' ELSE 'Email' END END,
       CASE WHEN i % 5 = 0 THEN CASE ${campaign} % 3 WHEN 0 THEN 'google' WHEN 1 THEN 'linkedin' ELSE 'facebook' END
            ELSE CASE i % 4 WHEN 0 THEN '(direct)' WHEN 1 THEN 'www.google.com' WHEN 2 THEN 'news.ycombinator.com' ELSE 'newsletter' END END,
       CASE WHEN i % 5 = 0 THEN CASE ${campaign} % 3 WHEN 0 THEN 'cpc' WHEN 1 THEN 'paid_social' ELSE 'paid' END
            ELSE CASE i % 4 WHEN 0 THEN '(none)' WHEN 1 THEN 'organic' WHEN 2 THEN 'referral' ELSE 'email' END END,
       CASE WHEN i % 5 = 0 THEN 'campaign-' || ${campaign} END,
       (SELECT path FROM paths WHERE id = ${page(0)}),
       CASE i % 4 WHEN 1 THEN 'www.google.com' WHEN 2 THEN 'news.ycombinator.com' END,
       k, 2 * k, 0, NULL,
       CASE k WHEN 1 THEN ${marks(1)} WHEN 2 THEN ${marks(2)} WHEN 3 THEN ${marks(3)} ELSE ${marks(4)} END
FROM t;
-- Each person's identify, and a form submit for one in four, in their first session.
INSERT INTO visitor_moments (anonymous_id, at, kind, detail)
SELECT s.anonymous_id, min(s.started_at), 'identify', json_object('person_id', vi.person_id, 'email_domain', 'acct' || vi.account_id || '.com', 'user_id', NULL, 'path', '/demo')
FROM sessions s JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id WHERE vi.person_id IS NOT NULL GROUP BY s.anonymous_id;
INSERT INTO visitor_moments (anonymous_id, at, kind, detail)
SELECT anonymous_id, at, 'form_submit', json_object('form', 'demo-request', 'fields', json_array('email'), 'path', '/demo')
FROM visitor_moments WHERE kind = 'identify' AND CAST(substr(anonymous_id, 25) AS INTEGER) % 4 = 0;
-- Deal i: account (i mod ACCOUNTS) + 1, created (i mod 365) days ago, closed 30–119 days later if that
-- is not in the future; two in five closed deals won.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${DEALS - 1}),
d AS (SELECT i, i % 365 AS created_ago, i % 365 - (30 + i % 90) AS closed_ago FROM n)
INSERT INTO deals (id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, imported_at, updated_at)
SELECT 'OPP-' || i, i % ${ACCOUNTS} + 1, 'acct' || (i % ${ACCOUNTS} + 1) || '.com', 5000 + (i % 20) * 5000, 'USD',
       CASE WHEN closed_ago < 0 THEN 'open' WHEN i % 5 < 2 THEN 'closed_won' ELSE 'closed_lost' END,
       ${ts("created_ago", "36000")}, CASE WHEN closed_ago >= 0 THEN ${ts("closed_ago", "43200")} END,
       closed_ago >= 0 AND i % 5 < 2, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM d;
-- Each campaign's daily spend over the last 180 days.
WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c WHERE j < ${CAMPAIGNS - 1}),
day(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM day WHERE k < 179)
INSERT INTO spend (date, channel, source, medium, campaign, amount, currency, clicks, impressions, imported_at, updated_at)
SELECT date('now', '-' || k || ' days'), CASE j % 3 WHEN 0 THEN 'Paid Search' ELSE 'Paid Social' END,
       CASE j % 3 WHEN 0 THEN 'google' WHEN 1 THEN 'linkedin' ELSE 'facebook' END, CASE j % 3 WHEN 0 THEN 'cpc' WHEN 1 THEN 'paid_social' ELSE 'paid' END,
       'campaign-' || j, 100 + (j * 37 + k * 11) % 400, 'USD', 20 + (j + k) % 80, 2000 + (j * k) % 5000, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM c, day;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;
SELECT 'sessions', count(*) FROM sessions; SELECT 'visitors', count(*) FROM visitor_identities; SELECT 'deals', count(*) FROM deals;
SELECT 'won_deals', count(*) FROM deals WHERE won = 1; SELECT 'spend_rows', count(*) FROM spend; SELECT 'moments', count(*) FROM visitor_moments;
`;
const sqlFile = path.join(dir, "load.sql");
writeFileSync(sqlFile, sql);
const load = spawnSync("sqlite3", [dbFile, `.read ${sqlFile}`], { encoding: "utf8" });
if (load.status !== 0) throw new Error(`load failed: ${load.stderr}`);
const counts = Object.fromEntries(load.stdout.trim().split("\n").filter((l) => /^[a-z_]+\|\d+$/.test(l)).map((l) => l.split("|")).map(([k, v]) => [k, Number(v)]));
console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts);
if (process.env.BENCH_LOAD_ONLY) {
  console.log(`loaded ${dbFile} (state ${persist})`);
  process.exit(0);
}

const today = new Date().toISOString().slice(0, 10);
const daysBack = (n) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
// The budget is for the reports' default window (30 days); 90-day windows are measured beside them.
const CASES = [
  { report: "content", query: "window=30d", window: { from: daysBack(29), to: today }, budgeted: true },
  { report: "content", query: "window=90d", window: { from: daysBack(89), to: today }, budgeted: false },
  { report: "campaigns", query: "window=30d&segment=target", window: { from: daysBack(29), to: today }, segment: "target", budgeted: true },
  { report: "campaigns", query: "window=90d", window: { from: daysBack(89), to: today }, segment: null, budgeted: false },
];

// 1. The API under wrangler dev, on a port nobody else uses (other benches may be running).
const PORT = await new Promise((resolve) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const child = await startWorker({ port: PORT, persist });
const results = [];
try {
  const headers = { authorization: "Bearer bench" };
  for (const c of CASES) {
    const url = `http://127.0.0.1:${PORT}/v1/${c.report}?${c.query}`;
    const first = await (await fetchRetry(url, { headers })).json(); // warm-up
    if (!first.rows || first.rows.length === 0) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 300)}\n${child.log.slice(-3000)}`);
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await (await fetchRetry(url, { headers })).arrayBuffer();
      ms.push(performance.now() - start);
    }
    results.push({ ...c, api_ms: median(ms), api_max_ms: Math.max(...ms), rows: first.rows.length, sample: first.rows[0] });
  }
} finally {
  child.kill("SIGTERM");
  await sleep(1000);
}

// 2. The same code in-process over node:sqlite, every statement recorded; 3. those statements in sqlite3.
const { DatabaseSync } = await import("node:sqlite");
const db = new DatabaseSync(dbFile, { readOnly: true });
const { contentReport } = await importCollector("collector/marketing/content-report.ts");
const { campaignsReport } = await importCollector("collector/marketing/campaigns-report.ts");
for (const r of results) {
  const run = (d1) =>
    r.report === "content"
      ? contentReport(d1, { window: r.window, model: "first_touch", sort: "influenced_revenue", limit: 50, after: null })
      : campaignsReport(d1, { window: r.window, segment: r.segment, model: "first_touch" });
  const recorded = [];
  await run(shim(db, recorded));
  const ms = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) {
    const start = performance.now();
    await run(shim(db, []));
    ms.push(performance.now() - start);
  }
  r.node_ms = median(ms);
  r.statements = recorded.length;
  r.sqlite3_ms = sqlite3Time(recorded);
}
db.close();

console.table(results.map((r) => ({ report: r.report, query: r.query, rows: r.rows, statements: r.statements, api_median_ms: +r.api_ms.toFixed(1), api_max_ms: +r.api_max_ms.toFixed(1), node_sqlite_ms: +r.node_ms.toFixed(1), sqlite3_ms: +r.sqlite3_ms.toFixed(1), budget_ms: r.budgeted ? BUDGET_MS : "—" })));
for (const r of results) {
  console.log(JSON.stringify({ bench: "content", report: r.report, query: r.query, api_median_ms: +r.api_ms.toFixed(1), node_sqlite_ms: +r.node_ms.toFixed(1), sqlite3_ms: +r.sqlite3_ms.toFixed(1), first_row: r.sample }));
  recordResult({ name: `content: GET /v1/${r.report}?${r.query}`, figure: r.api_ms, unit: "ms", baseline: r.sqlite3_ms, baseline_name: "the same statements in the sqlite3 CLI", budget: r.budgeted ? BUDGET_MS : null, pass: r.budgeted ? r.api_ms <= BUDGET_MS : null });
}
process.exitCode = results.filter((r) => r.budgeted).every((r) => r.api_ms <= BUDGET_MS) ? 0 : 1;
if (process.env.BENCH_KEEP) console.log(`kept ${dbFile}`);

/** A D1Database over node:sqlite that records each statement it runs with its parameters. */
function shim(sqlite, log) {
  const statement = (sql, params = []) => ({
    bind: (...values) => statement(sql, values),
    all: async () => {
      log.push({ sql, params });
      return { results: sqlite.prepare(sql).all(...params), success: true, meta: {} };
    },
    first: async () => {
      log.push({ sql, params });
      return sqlite.prepare(sql).get(...params) ?? null;
    },
    run: async () => {
      throw new Error("the reports only read");
    },
  });
  return { prepare: (sql) => statement(sql), batch: async (statements) => Promise.all(statements.map((s) => s.all())) };
}

/**
 * Runs the statements in one sqlite3 CLI process with their parameters bound, `repeat` times
 * over (the first pass warms SQLite's page cache, as a long-lived D1 has it warm), and answers
 * the median of the passes' summed run times.
 */
function sqlite3Time(statements, repeat = 3) {
  const literal = (v) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  // A dot-command argument in double quotes takes backslash escapes: the SQL literal goes in whole.
  const arg = (s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  const script = [".timer on", ".output /dev/null"];
  for (let pass = 0; pass < repeat; pass++) {
    for (const { sql, params } of statements) {
      script.push(".parameter clear");
      params.forEach((v, i) => script.push(`.parameter set ?${i + 1} ${arg(literal(v))}`));
      script.push(`${sql.replace(/\s+/g, " ").trim()};`);
    }
  }
  const out = spawnSync("sqlite3", ["-readonly", dbFile], { input: script.join("\n") + "\n", encoding: "utf8", maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(`sqlite3: ${out.stderr.slice(0, 500)}`);
  const times = [...(out.stdout + out.stderr).matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  const perPass = times.length / repeat;
  if (!Number.isInteger(perPass) || perPass < statements.length) throw new Error(`sqlite3 timed ${times.length} lines for ${statements.length} statements × ${repeat}: ${out.stderr.slice(0, 500)}`);
  const passes = Array.from({ length: repeat }, (_, p) => times.slice(p * perPass, (p + 1) * perPass));
  if (process.env.BENCH_VERBOSE) console.log(passes.map((p) => p.map((t) => t.toFixed(0)).join(" ")).join("\n"));
  return median(passes.map((p) => p.reduce((a, b) => a + b, 0)));
}
