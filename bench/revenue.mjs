#!/usr/bin/env node
// GET /v1/revenue?model=markov over 10,000 journeys (SPEC §9: ≤ 1 s), storage reads included.
// Loads the rows the pipeline would have written straight into the local D1 SQLite file (as
// bench/accounts.mjs does), starts the collector on it with `wrangler dev`, and prints the median
// of a few requests per model and grouping. Needs /usr/bin/sqlite3 (Debian package sqlite3).
//
// Journeys: 2,000 accounts × 3 resolved visitors (one journey per account) + 8,000 unresolved
// visitors (one journey each) = 10,000; 3 sessions per visitor over the last 30 days (42,000
// sessions, one page event each); 400 accounts won a deal yesterday, 400 lost one.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freshState, median, requireTool, sleep, startWorker } from "./lib.mjs";

const ACCOUNTS = 2_000;
const RESOLVED = ACCOUNTS * 3;
const UNRESOLVED = 8_000;
const WON = 400;
const RUNS = 7;
const PORT = 8894;
const BUDGET_MS = 1_000;

requireTool("sqlite3", ["-version"], "sqlite3");

const t0 = Date.now();
const { dir, persist, dbFile } = freshState("revenue");

const ts = (daysAgoExpr, minutesExpr) => `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'start of day', '-' || (${daysAgoExpr}) || ' days', '+' || (${minutesExpr}) || ' minutes')`;
const CHANNELS = ["Organic Search", "Paid Search", "Email", "Direct", "Referral", "Organic Social", "Paid Social", "Display"];
const channelCase = (expr) => `CASE (${expr}) % 8 ${CHANNELS.map((c, k) => `WHEN ${k} THEN '${c}'`).join(" ")} END`;
const sql = `
PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ACCOUNTS})
INSERT INTO accounts (id, domain, name, crm_id, segment, source, created_at, updated_at)
SELECT i, 'acct' || i || '.com', 'Account ' || i, 'crm-' || i, CASE WHEN i % 3 = 0 THEN 'target' ELSE 'customer' END,
       'import', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
INSERT INTO account_domains (domain, account_id) SELECT domain, id FROM accounts;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${RESOLVED + UNRESOLVED - 1})
INSERT INTO visitor_identities (anonymous_id, site_id, account_id, method, confidence, resolved_at, first_seen, last_seen)
SELECT 'v' || i, 'site', CASE WHEN i < ${RESOLVED} THEN i % ${ACCOUNTS} + 1 END, CASE WHEN i < ${RESOLVED} THEN 'email' END,
       CASE WHEN i < ${RESOLVED} THEN 0.9 END, NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${(RESOLVED + UNRESOLVED) * 3 - 1})
INSERT INTO sessions (id, anonymous_id, site_id, started_at, ended_at, channel, source, medium, campaign, landing_page, pageviews, events, is_bot)
SELECT 's' || i, 'v' || (i / 3), 'site', ${ts("2 + (i % 3) * 9 + (i / 3) % 7", "i % 600")}, ${ts("2 + (i % 3) * 9 + (i / 3) % 7", "i % 600 + 5")},
       ${channelCase("i * 7 + i / 3")}, 'src' || (i % 13), 'med' || (i % 5), CASE WHEN i % 4 = 0 THEN 'camp' || (i % 9) END,
       '/p' || (i % 40), 1, 1, 0 FROM n;
INSERT INTO events (message_id, site_id, type, anonymous_id, session_id, timestamp, received_at, data)
SELECT 'm' || id, 'site', 'page', anonymous_id, id, started_at, started_at, json_object('type', 'page', 'path', landing_page) FROM sessions;
INSERT INTO events (message_id, site_id, type, anonymous_id, session_id, timestamp, received_at, data)
SELECT 'i' || id, 'site', 'identify', anonymous_id, id, ended_at, ended_at, json_object('type', 'identify', 'path', landing_page)
FROM sessions WHERE CAST(substr(id, 2) AS INTEGER) % 3 = 1 AND CAST(substr(id, 2) AS INTEGER) / 3 < ${RESOLVED};
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${WON * 2})
INSERT INTO deals (id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, imported_at, updated_at)
SELECT 'deal' || i, (i - 1) % ${ACCOUNTS} + 1, 'acct' || ((i - 1) % ${ACCOUNTS} + 1) || '.com', 10000 + i, 'USD',
       CASE WHEN i <= ${WON} THEN 'closed_won' ELSE 'closed_lost' END, ${ts("15", "0")}, ${ts("1", "600")}, i <= ${WON},
       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;
SELECT 'sessions', count(*) FROM sessions; SELECT 'events', count(*) FROM events; SELECT 'won_deals', count(*) FROM deals WHERE won = 1;
`;
const sqlFile = path.join(dir, "load.sql");
writeFileSync(sqlFile, sql);
const load = spawnSync("sqlite3", [dbFile, `.read ${sqlFile}`], { encoding: "utf8" });
if (load.status !== 0) throw new Error(`load failed: ${load.stderr}`);
const counts = Object.fromEntries(load.stdout.trim().split("\n").filter((l) => /^[a-z_]+\|\d+$/.test(l)).map((l) => l.split("|")).map(([k, v]) => [k, Number(v)]));
console.log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts);

const child = await startWorker({ port: PORT, persist });
try {
  const headers = { authorization: "Bearer bench" };
  const rows = [];
  for (const [model, by] of [["markov", "channel"], ["linear", "channel"], ["w_shaped", "campaign"], ["linear", "page"], ["markov", "account_segment"]]) {
    const url = `http://127.0.0.1:${PORT}/v1/revenue?model=${model}&by=${by}&window=30d`;
    const first = await (await fetch(url, { headers })).json(); // warm-up
    if (!first.total || first.deals !== WON) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 300)}`);
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await (await fetch(url, { headers })).arrayBuffer();
      ms.push(performance.now() - start);
    }
    rows.push({ model, by, journeys: ACCOUNTS + UNRESOLVED, sessions: counts.sessions, won_deals: WON, median_ms: +median(ms).toFixed(1), max_ms: +Math.max(...ms).toFixed(1), budget_ms: BUDGET_MS });
  }
  console.table(rows);
  for (const row of rows) console.log(JSON.stringify({ bench: "revenue", ...row }));
  process.exitCode = rows[0].median_ms <= BUDGET_MS ? 0 : 1;
} finally {
  child.kill("SIGTERM");
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
