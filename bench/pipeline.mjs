#!/usr/bin/env node
// GET /v1/pipeline and GET /v1/funnel over 10,000 deals and 1,000,000 sessions (SPEC §9: ≤ 1 s
// each), beside the same reads run by the sqlite3 CLI on the same file (the floor: no Worker,
// no D1 binding, no JSON). Needs /usr/bin/sqlite3 (Debian package sqlite3).
//
// What is synthetic: the data never went through ingest or the queue consumer (a million
// sessions through the queue takes hours here). It is written straight into the local D1 SQLite
// file that `wrangler d1 migrations apply --local` creates, by the sqlite3 CLI, in the row shapes
// the consumer writes: sessions with their marks (one page mark each, plus an identify mark in
// the session holding a person's identify), visitor_identities, people, visitor_moments (the
// identify moments), accounts with their domains, paths, and deals as PUT /v1/deals stores them.
// The collector then reads it through `wrangler dev` exactly as it would read its own writes.
//
// Shape: 10,000 accounts; 300,000 visitors, a third resolved to accounts (10 each), half of
// those and 1 in 20 of the rest identified (55,000 people); 1,000,000 sessions over 180 days,
// 8 channels; 10,000 deals, one per account, created over the last 360 days (≈830 in a 30-day
// window), a third won 20 days after creation.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freshState, median, recordResult, requireTool, sleep, startWorker } from "./lib.mjs";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const VISITORS = Math.round(SESSIONS * 0.3);
const RESOLVED = ACCOUNTS * 10;
const DAYS = 180;
const RUNS = 7;
const PORT = 8895;
const BUDGET_MS = 1_000;

requireTool("sqlite3", ["-version"], "sqlite3");

const t0 = Date.now();
const { dir, persist, dbFile } = freshState("pipeline");

const CHANNELS = ["Organic Search", "Paid Search", "Email", "Direct", "Referral", "Organic Social", "Paid Social", "Display"];
const channelCase = (expr) => `CASE (${expr}) % 8 ${CHANNELS.map((c, k) => `WHEN ${k} THEN '${c}'`).join(" ")} END`;
const iso = (base, modifiers) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${base}, ${modifiers})`;
// Session s: visitor (s · 7919) mod VISITORS, on day (s + ⌊s / ACCOUNTS⌋) mod 180 before today, at minute s mod 600.
const sessionStart = `${iso("'now'", "'start of day', '-' || ((i + (i / " + ACCOUNTS + ")) % " + DAYS + ") || ' days', '+' || (i % 600) || ' minutes'")}`;
const sql = `
PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ACCOUNTS})
INSERT INTO accounts (id, domain, name, crm_id, segment, source, created_at, updated_at)
SELECT i, 'acct' || i || '.com', 'Account ' || i, 'crm-' || i, CASE WHEN i % 5 = 0 THEN 'target' ELSE 'customer' END,
       'import', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
INSERT INTO account_domains (domain, account_id) SELECT domain, id FROM accounts;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO paths (id, path) SELECT i, '/p' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${SESSIONS - 1})
INSERT INTO sessions (anonymous_id, id, started_at, ended_at, channel, source, medium, campaign, landing_page, referrer_host, pageviews, events, is_bot, bot_reason, marks)
SELECT 'v' || ((i * 7919) % ${VISITORS}), i + 1, ${sessionStart}, ${iso(sessionStart, "'+5 minutes'")},
       ${channelCase("i * 7 + i / 3")}, 'src' || (i % 13), 'med' || (i % 5), CASE WHEN i % 4 = 0 THEN 'camp' || (i % 9) END,
       '/p' || (i % 40 + 1), NULL, 1, 1, 0, NULL, json_array(json_array(0, 0, i % 40 + 1)) FROM n;
-- Visitor v: account v mod ACCOUNTS + 1 for the first RESOLVED visitors; identified: every other
-- resolved one, and one in twenty of the rest. first/last seen from its sessions.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${VISITORS - 1})
INSERT INTO visitor_identities (anonymous_id, site_id, person_id, account_id, method, confidence, resolved_at, first_seen, last_seen)
SELECT 'v' || i, 'site_bench',
       CASE WHEN (i < ${RESOLVED} AND i % 2 = 0) OR (i >= ${RESOLVED} AND i % 20 = 0) THEN 'p' || i END,
       CASE WHEN i < ${RESOLVED} THEN i % ${ACCOUNTS} + 1 END, CASE WHEN i < ${RESOLVED} THEN 'email' END,
       CASE WHEN i < ${RESOLVED} THEN 0.9 END, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
UPDATE visitor_identities SET first_seen = x.f, last_seen = x.l
FROM (SELECT anonymous_id, min(started_at) AS f, max(ended_at) AS l FROM sessions GROUP BY anonymous_id) x
WHERE visitor_identities.anonymous_id = x.anonymous_id;
-- Each person identifies a minute into their visitor's latest session: the moment, its mark, the person.
CREATE TEMP TABLE ident AS
SELECT vi.anonymous_id, vi.person_id, vi.account_id,
       (SELECT s.id FROM sessions s WHERE s.anonymous_id = vi.anonymous_id ORDER BY s.started_at DESC LIMIT 1) AS sid
FROM visitor_identities vi WHERE vi.person_id IS NOT NULL;
DELETE FROM ident WHERE sid IS NULL;
UPDATE sessions SET marks = json_insert(marks, '$[#]', json_array(600, 5)), events = 2
WHERE (anonymous_id, id) IN (SELECT anonymous_id, sid FROM ident);
INSERT INTO visitor_moments (anonymous_id, at, kind, detail)
SELECT i.anonymous_id, ${iso("s.started_at", "'+1 minutes'")}, 'identify',
       json_object('person_id', i.person_id, 'email_domain', CASE WHEN i.account_id IS NULL THEN 'gmail.com' ELSE 'acct' || i.account_id || '.com' END, 'user_id', NULL, 'path', s.landing_page)
FROM ident i JOIN sessions s ON s.anonymous_id = i.anonymous_id AND s.id = i.sid;
INSERT INTO people (id, email_domain, first_seen, last_seen)
SELECT i.person_id, CASE WHEN i.account_id IS NULL THEN 'gmail.com' ELSE 'acct' || i.account_id || '.com' END,
       ${iso("s.started_at", "'+1 minutes'")}, s.ended_at
FROM ident i JOIN sessions s ON s.anonymous_id = i.anonymous_id AND s.id = i.sid;
-- Deal k (1 … ACCOUNTS) of account k, created (k · 37) mod 360 days ago at midnight; every third won 20 days later.
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ${ACCOUNTS}),
d AS (SELECT k, ${iso("'now'", "'start of day', '-' || ((k * 37) % 360) || ' days'")} AS created FROM n)
INSERT INTO deals (id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, type, imported_at, updated_at)
SELECT 'deal' || k, k, 'acct' || k || '.com', 10000 + k, 'USD',
       CASE WHEN k % 3 = 0 THEN 'closed_won' ELSE 'proposal' END, created,
       CASE WHEN k % 3 = 0 THEN ${iso("created", "'+20 days'")} END, k % 3 = 0, NULL,
       '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM d;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;
SELECT 'sessions', count(*) FROM sessions; SELECT 'visitors', count(*) FROM visitor_identities; SELECT 'people', count(*) FROM people;
SELECT 'moments', count(*) FROM visitor_moments; SELECT 'deals', count(*) FROM deals;
SELECT 'deals_30d', count(*) FROM deals WHERE created_at >= ${iso("'now'", "'start of day', '-29 days'")};
`;
const sqlFile = path.join(dir, "load.sql");
writeFileSync(sqlFile, sql);
const load = spawnSync("sqlite3", [dbFile, `.read ${sqlFile}`], { encoding: "utf8", maxBuffer: 64 << 20 });
if (load.status !== 0) throw new Error(`load failed: ${load.stderr}`);
const counts = Object.fromEntries(load.stdout.trim().split("\n").filter((l) => /^[a-z_0-9]+\|\d+$/.test(l)).map((l) => l.split("|")).map(([k, v]) => [k, Number(v)]));
console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts);

// The floor: the reads each report makes (collector/storage/deals.ts, revenue.ts, funnel.ts),
// written out with the 30-day window's bounds as literals, run by the sqlite3 CLI.
const DAY = 86_400_000;
const todayMs = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const from = new Date(todayMs - 29 * DAY).toISOString();
const to = new Date(todayMs + DAY).toISOString();
const lookbackFrom = new Date(todayMs - 29 * DAY - 365 * DAY).toISOString();
const now = new Date().toISOString();
const inWindowDeals = `SELECT account_id FROM deals WHERE created_at >= '${from}' AND created_at < '${to}'`;
const pipelineSql = [
  `SELECT id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, type FROM deals WHERE created_at >= '${from}' AND created_at < '${to}' ORDER BY created_at, id;`,
  `SELECT vi.account_id, s.id, s.anonymous_id, s.started_at, s.channel, s.source, s.medium, s.campaign, s.landing_page
   FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id
   WHERE vi.account_id IN (${inWindowDeals}) AND s.is_bot = 0 AND s.started_at >= '${lookbackFrom}' AND s.started_at <= '${to}';`,
  `WITH first AS (
     SELECT anonymous_id, min(at) AS at FROM visitor_moments
     WHERE anonymous_id IN (SELECT anonymous_id FROM visitor_identities WHERE account_id IN (${inWindowDeals})) AND kind IN ('identify', 'form_submit')
     GROUP BY anonymous_id)
   SELECT s.id FROM first f JOIN sessions s ON s.anonymous_id = f.anonymous_id AND s.started_at <= f.at AND s.ended_at >= f.at;`,
];
const firstTouch = (account, before) => `(SELECT s.channel FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id
    WHERE vi.account_id = ${account} AND s.is_bot = 0 AND s.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', ${before}, '-365 days') AND s.started_at <= ${before}
    ORDER BY s.started_at, s.id LIMIT 1)`;
const funnelSql = [
  `SELECT NULL AS key, count(DISTINCT anonymous_id) AS n FROM sessions WHERE started_at >= '${from}' AND started_at < '${to}' AND is_bot = 0;`,
  `SELECT p.id, p.first_seen, (SELECT min(vi.first_seen) FROM visitor_identities vi WHERE vi.person_id = p.id) AS since, NULL AS key
   FROM people p WHERE p.first_seen >= '${from}' AND p.first_seen < '${to}';`,
  `SELECT d.id, d.account_id, d.created_at,
     (SELECT min(p.first_seen) FROM visitor_identities vi JOIN people p ON p.id = vi.person_id WHERE vi.account_id = d.account_id) AS since, NULL AS key
   FROM deals d WHERE d.created_at >= '${from}' AND d.created_at < '${to}';`,
  `WITH first AS (SELECT account_id, closed_at, created_at FROM (
     SELECT account_id, closed_at, created_at, row_number() OVER (PARTITION BY account_id ORDER BY closed_at, id) AS n FROM deals WHERE won = 1 AND closed_at <= '${now}'
   ) WHERE n = 1 AND closed_at >= '${from}' AND closed_at < '${to}')
   SELECT f.account_id, f.closed_at, (SELECT min(d.created_at) FROM deals d WHERE d.account_id = f.account_id) AS since, NULL AS key FROM first f;`,
];
const funnelByChannelSql = [
  `WITH v AS (SELECT anonymous_id FROM sessions WHERE started_at >= '${from}' AND started_at < '${to}' AND is_bot = 0 GROUP BY anonymous_id),
   f AS (SELECT s.channel AS key, min(s.started_at) FROM v JOIN sessions s ON s.anonymous_id = v.anonymous_id WHERE s.is_bot = 0 GROUP BY v.anonymous_id)
   SELECT key, count(*) AS n FROM f GROUP BY key;`,
  `SELECT p.id, p.first_seen, (SELECT min(vi.first_seen) FROM visitor_identities vi WHERE vi.person_id = p.id) AS since,
     (SELECT s.channel FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id WHERE vi.person_id = p.id AND s.is_bot = 0 ORDER BY s.started_at, s.id LIMIT 1) AS key
   FROM people p WHERE p.first_seen >= '${from}' AND p.first_seen < '${to}';`,
  `SELECT d.id, (SELECT min(p.first_seen) FROM visitor_identities vi JOIN people p ON p.id = vi.person_id WHERE vi.account_id = d.account_id) AS since,
     ${firstTouch("d.account_id", "d.created_at")} AS key FROM deals d WHERE d.created_at >= '${from}' AND d.created_at < '${to}';`,
  funnelSql[3],
];

/** Median over RUNS of the summed wall time of a group of statements, by sqlite3's own timer. */
function sqliteMs(statements) {
  const script = `.timer on\n.output /dev/null\n${Array(RUNS).fill(statements.join("\n")).join("\n")}\n`;
  const out = spawnSync("sqlite3", ["-readonly", dbFile], { input: script, encoding: "utf8", maxBuffer: 256 << 20 });
  if (out.status !== 0) throw new Error(out.stderr);
  const times = [...(out.stdout + out.stderr).matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  if (times.length !== RUNS * statements.length) throw new Error(`sqlite3 timed ${times.length} statements, expected ${RUNS * statements.length}`);
  const perRun = Array.from({ length: RUNS }, (_, r) => times.slice(r * statements.length, (r + 1) * statements.length).reduce((a, b) => a + b, 0));
  return median(perRun);
}

const child = await startWorker({ port: PORT, persist });
try {
  const headers = { authorization: "Bearer bench" };
  const cases = [
    { name: "pipeline first_touch by channel, 30d", url: "/v1/pipeline?model=first_touch&by=channel&window=30d", floor: pipelineSql, budget: true },
    { name: "pipeline linear by campaign, 30d", url: "/v1/pipeline?model=linear&by=campaign&window=30d", floor: pipelineSql, budget: true },
    { name: "pipeline w_shaped by channel, 90d", url: "/v1/pipeline?model=w_shaped&by=channel&window=90d", floor: null, budget: true },
    { name: "pipeline markov by channel, 30d", url: "/v1/pipeline?model=markov&by=channel&window=30d", floor: null, budget: true },
    { name: "funnel, 30d", url: "/v1/funnel?window=30d", floor: funnelSql, budget: true },
    { name: "funnel by channel, 30d", url: "/v1/funnel?window=30d&by=channel", floor: funnelByChannelSql, budget: true },
    { name: "funnel plan, measured over 365 days", url: "/v1/funnel/plan?revenue=10000000&deal_size=1100000", floor: null, budget: false },
  ];
  const rows = [];
  for (const c of cases) {
    const first = await (await fetch(`http://127.0.0.1:${PORT}${c.url}`, { headers })).json(); // warm-up
    if (first.error) throw new Error(`${c.url}: ${JSON.stringify(first.error)}`);
    if (c.url.startsWith("/v1/pipeline") && c.url.includes("30d") && first.deals !== counts.deals_30d) throw new Error(`${c.url}: ${first.deals} deals, expected ${counts.deals_30d}`);
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await (await fetch(`http://127.0.0.1:${PORT}${c.url}`, { headers })).arrayBuffer();
      ms.push(performance.now() - start);
    }
    const floor = c.floor ? sqliteMs(c.floor) : null;
    rows.push({ case: c.name, api_median_ms: +median(ms).toFixed(1), api_max_ms: +Math.max(...ms).toFixed(1), sqlite3_floor_ms: floor === null ? null : +floor.toFixed(1), budget_ms: c.budget ? BUDGET_MS : null });
    recordResult({
      name: `pipeline: GET ${c.name}`, figure: median(ms), unit: "ms", baseline: floor, baseline_name: floor === null ? null : "the same reads in the sqlite3 CLI",
      budget: c.budget ? BUDGET_MS : null, pass: c.budget ? median(ms) <= BUDGET_MS : null,
    });
  }
  console.table(rows);
  console.log(`data: ${counts.sessions} sessions, ${counts.deals} deals (${counts.deals_30d} created in the last 30 days), ${counts.people} people`);
  for (const row of rows) console.log(JSON.stringify({ bench: "pipeline", ...row }));
  process.exitCode = rows.every((r) => r.budget_ms === null || r.api_median_ms <= r.budget_ms) ? 0 : 1;
} finally {
  child.kill("SIGTERM");
  await sleep(500);
  if (process.env.BENCH_KEEP) console.log(`kept ${dbFile}`);
  else rmSync(dir, { recursive: true, force: true });
}
