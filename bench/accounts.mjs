#!/usr/bin/env node
// GET /v1/accounts over 1,000,000 sessions and 10,000 accounts (SPEC §9: median ≤ 100 ms).
// Loads the data straight into the local D1 SQLite file that `wrangler d1 migrations apply
// --local` creates (a generated .sql file run by the sqlite3 CLI), starts the collector on it
// with `wrangler dev`, and prints the median of ~30 requests beside the same ranking SQL run
// directly with sqlite3 on the same file. Needs /usr/bin/sqlite3 (Debian package sqlite3).
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freshState, median, requireTool, sleep, startWorker } from "./lib.mjs";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const VISITORS = Math.round(SESSIONS * 0.3); // ~3.3 sessions per visitor
const DAYS = 90;
const RUNS = 30;
const PORT = 8893;

requireTool("sqlite3", ["-version"], "sqlite3");

const t0 = Date.now();
const { dir, persist, dbFile } = freshState("accounts");

// The rows the pipeline would have written for this traffic: accounts, identities, sessions and
// the day rollups. Generated inside SQLite (recursive CTEs) so the .sql file stays small.
// Visitor v belongs to account v % ACCOUNTS; half the visitors are identified people; session s
// is visitor (s · 7919) mod VISITORS on day (s + ⌊s / ACCOUNTS⌋) mod 90 before today, which
// spreads each account's ~100 sessions over ~60 of the 90 days.
const sql = `
PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ACCOUNTS})
INSERT INTO accounts (id, domain, name, crm_id, segment, source, created_at, updated_at)
SELECT i, 'acct' || i || '.com', 'Account ' || i, 'crm-' || i, CASE WHEN i % 5 = 0 THEN 'target' ELSE 'customer' END,
       'import', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO account_domains (domain, account_id) SELECT domain, id FROM accounts;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${VISITORS - 1})
INSERT INTO visitor_identities (anonymous_id, site_id, person_id, account_id, method, confidence, resolved_at, first_seen, last_seen)
SELECT 'v' || i, 'site', CASE WHEN i % 2 = 0 THEN 'p' || (i / 2) END, i % ${ACCOUNTS} + 1,
       CASE WHEN i % 2 = 0 THEN 'email' ELSE 'asn' END, CASE WHEN i % 2 = 0 THEN 0.9 ELSE 0.5 END,
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO people (id, email_domain, first_seen, last_seen)
SELECT person_id, 'acct' || account_id || '.com', first_seen, last_seen FROM visitor_identities WHERE person_id IS NOT NULL;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${SESSIONS - 1})
INSERT INTO sessions (id, anonymous_id, site_id, started_at, ended_at, channel, source, medium, landing_page, pageviews, events, is_bot)
SELECT 's' || i, 'v' || ((i * 7919) % ${VISITORS}), 'site',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'start of day', '-' || ((i + (i / ${ACCOUNTS})) % ${DAYS}) || ' days', '+' || (i % 600) || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'start of day', '-' || ((i + (i / ${ACCOUNTS})) % ${DAYS}) || ' days', '+' || (i % 600 + 5) || ' minutes'),
       'Direct', '(direct)', '(none)', CASE WHEN i % 7 = 0 THEN '/pricing' ELSE '/' END, i % 5 + 1, i % 5 + 3, 0 FROM n;
INSERT INTO visitor_days (anonymous_id, day, account_id, page_views, high_intent_page_views, form_starts, form_submits, engaged_ms, events, sessions, first_at, last_at)
SELECT s.anonymous_id, substr(s.started_at, 1, 10), vi.account_id,
       sum(s.pageviews - (s.landing_page = '/pricing')), sum(s.landing_page = '/pricing'), sum(s.pageviews = 5), sum(s.pageviews = 5 AND s.events % 2 = 1),
       sum(s.pageviews * 20000), sum(s.events), count(*), min(s.started_at), max(s.ended_at)
FROM sessions s JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id
GROUP BY s.anonymous_id, substr(s.started_at, 1, 10);
INSERT INTO account_days (account_id, day, page_views, high_intent_page_views, form_starts, form_submits, engaged_ms, events, sessions)
SELECT account_id, day, sum(page_views), sum(high_intent_page_views), sum(form_starts), sum(form_submits), sum(engaged_ms), sum(events), sum(sessions)
FROM visitor_days GROUP BY account_id, day;
-- What the consumer maintains beside the counters (collector/storage/rollups-running.ts), with
-- the default weights, half-life 14 and the default epoch 2024-01-01 (day 19723).
UPDATE account_days SET ws = (page_views + high_intent_page_views * 3 + form_starts * 2 + form_submits * 10 + engaged_ms * 0.5 / 60000.0)
  * exp(((julianday(day) - 2440587.5) - 19723) * 0.6931471805599453 / 14);
UPDATE account_days SET run_ws = x.run_ws, run_sessions = x.run_sessions, run_pageviews = x.run_pageviews,
  run_form_submits = x.run_form_submits, run_engaged_ms = x.run_engaged_ms
FROM (SELECT account_id, day, sum(ws) OVER w AS run_ws, sum(sessions) OVER w AS run_sessions,
        sum(page_views + high_intent_page_views) OVER w AS run_pageviews, sum(form_submits) OVER w AS run_form_submits,
        sum(engaged_ms) OVER w AS run_engaged_ms
      FROM account_days WINDOW w AS (PARTITION BY account_id ORDER BY day ROWS UNBOUNDED PRECEDING)) x
WHERE account_days.account_id = x.account_id AND account_days.day = x.day;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;
SELECT 'sessions', count(*) FROM sessions; SELECT 'visitor_days', count(*) FROM visitor_days; SELECT 'account_days', count(*) FROM account_days;
`;
const sqlFile = path.join(dir, "load.sql");
writeFileSync(sqlFile, sql);
const load = spawnSync("sqlite3", [dbFile, `.read ${sqlFile}`], { encoding: "utf8" });
if (load.status !== 0) throw new Error(`load failed: ${load.stderr}`);
const counts = Object.fromEntries(load.stdout.trim().split("\n").filter((l) => /^[a-z_]+\|\d+$/.test(l)).map((l) => l.split("|")).map(([k, v]) => [k, Number(v)]));
console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts);

// The ranking statement of collector/storage/accounts-read.ts rankAccounts(), first page of
// window=30d sorted by score, with its parameters written in as literals.
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const todayMs = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const [from, to] = [dayOf(todayMs - 29 * 86_400_000), dayOf(todayMs)];
const scale = 2 ** (-(todayMs / 86_400_000 - 19_723) / 14);
const rankSql = `SELECT * FROM (
  SELECT a.id, a.domain, a.name, a.segment, (hi.run_ws - coalesce(lo.run_ws, 0)) * ${scale} AS score,
    hi.run_sessions - coalesce(lo.run_sessions, 0) AS sessions, hi.run_pageviews - coalesce(lo.run_pageviews, 0) AS pageviews,
    hi.run_form_submits - coalesce(lo.run_form_submits, 0) AS form_submits, hi.run_engaged_ms - coalesce(lo.run_engaged_ms, 0) AS engaged_ms
  FROM accounts a
  JOIN account_days hi ON hi.rowid = (SELECT rowid FROM account_days WHERE account_id = a.id AND day <= '${to}' ORDER BY day DESC LIMIT 1)
  LEFT JOIN account_days lo ON lo.rowid = (SELECT rowid FROM account_days WHERE account_id = a.id AND day < '${from}' ORDER BY day DESC LIMIT 1)
  WHERE hi.day >= '${from}' AND (NULL IS NULL OR a.segment = NULL))
WHERE NULL IS NULL ORDER BY score DESC, domain ASC LIMIT 50;`;
const timed = spawnSync("sqlite3", [dbFile], { input: `.timer on\n${Array(RUNS).fill(rankSql).join("\n")}\n`, encoding: "utf8", maxBuffer: 64 << 20 });
const sqliteMs = [...timed.stdout.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);

const child = await startWorker({ port: PORT, persist });
try {
  const url = `http://127.0.0.1:${PORT}/v1/accounts?window=30d`;
  const headers = { authorization: "Bearer bench" };
  let first;
  for (let i = 0; i < 3; i++) first = await (await fetch(url, { headers })).json(); // warm-up
  if (!first.accounts || first.accounts.length !== 50) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 300)}`);
  const timeIt = async (u) => {
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const r = await fetch(u, { headers });
      await r.arrayBuffer();
      ms.push(performance.now() - start);
    }
    return ms;
  };
  const apiMs = await timeIt(url);
  // Baselines on the same workerd: no D1 at all, and one one-row D1 read.
  const noD1 = median(await timeIt(`http://127.0.0.1:${PORT}/`));
  const oneRead = median(await timeIt(`http://127.0.0.1:${PORT}/v1/settings/engagement`));
  const row = {
    sessions: counts.sessions, accounts: ACCOUNTS, account_days: counts.account_days, visitor_days: counts.visitor_days,
    api_median_ms: +median(apiMs).toFixed(1), api_p90_ms: +[...apiMs].sort((a, b) => a - b)[Math.floor(RUNS * 0.9)].toFixed(1),
    sqlite3_ranking_median_ms: +median(sqliteMs).toFixed(1), budget_ms: 100,
    baseline_no_d1_ms: +noD1.toFixed(1), baseline_one_d1_read_ms: +oneRead.toFixed(1),
  };
  console.table([row]);
  console.log(`top account: ${first.accounts[0].domain} score ${first.accounts[0].score}`);
  console.log(JSON.stringify({ bench: "accounts", ...row }));
  process.exitCode = row.api_median_ms <= 100 ? 0 : 1;
} finally {
  child.kill("SIGTERM");
  await sleep(500);
  if (process.env.BENCH_KEEP) console.log(`kept ${dbFile}`);
  else rmSync(dir, { recursive: true, force: true });
}
