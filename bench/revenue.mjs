#!/usr/bin/env node
// GET /v1/revenue over 10,000 journeys (SPEC §9: model=markov ≤ 1 s), storage reads included,
// beside the same report computed by the sqlite3 CLI on the same D1 file (SQL below), bracketed.
// The data goes in as a user's would: accounts and deals through PUT /v1/accounts and
// PUT /v1/deals, the traffic as Segment batches through POST /v1/batch, the local queue and the
// real queue consumer (sessions, identities, rollups are what the pipeline wrote).
// Needs sqlite3 (Debian package).
//
// Journeys: 2,000 accounts × 3 visitors who identify with a work email (one journey per account)
// + 8,000 anonymous visitors (one journey each) = 10,000; 3 sessions per visitor over the last 30
// days, one page view each, in one of 8 channels; 400 accounts won a deal yesterday, 400 lost one.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { bracket, fetchRetry, freshState, median, prng, recordResult, requireTool, sleep, startWorker } from "./lib.mjs";
import { api, postEvents, waitForStored } from "./seed.mjs";

const ACCOUNTS = 2_000;
const PER_ACCOUNT = 3;
const ANONYMOUS = 8_000;
const SESSIONS = 3;
const WON = 400;
const RUNS = 7;
const BUDGET_MS = 1_000;
const LOOKBACK_DAYS = 365; // collector/revenue/types.ts DEFAULT_LOOKBACK_DAYS

requireTool("sqlite3", ["-version"], "sqlite3");

// Where a session comes from decides its channel (collector/ingest/enrich/channel.ts).
const ORIGINS = [
  { referrer: "https://www.google.com/" }, // Organic Search
  { query: "?utm_source=google&utm_medium=cpc&utm_campaign=brand" }, // Paid Search
  { query: "?utm_source=newsletter&utm_medium=email&utm_campaign=nov-digest" }, // Email
  {}, // Direct
  { referrer: "https://partner-blog.example.org/review" }, // Referral
  { referrer: "https://www.linkedin.com/" }, // Organic Social
  { query: "?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4-abm" }, // Paid Social
  { query: "?utm_source=dv360&utm_medium=display&utm_campaign=retarget" }, // Display
];
const PAGES = ["/", "/pricing", "/product", "/blog/attribution", "/customers", "/demo"];
const DAY = 86_400_000;
const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());

function* visits() {
  const rand = prng(20261130);
  const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const resolved = ACCOUNTS * PER_ACCOUNT;
  for (let v = 0; v < resolved + ANONYMOUS; v++) {
    const anonymousId = `00000000-0000-4000-8000-${String(v).padStart(12, "0")}`;
    for (let k = 0; k < SESSIONS; k++) {
      // 2 to 27 days ago, during the working day; no two sessions of an account at the same instant.
      const at = today - (2 + k * 9 + (v % 7)) * DAY + 8 * 3_600_000 + Math.floor(rand() * 8 * 3_600_000);
      const origin = ORIGINS[Math.floor(rand() * ORIGINS.length)];
      const path = PAGES[Math.floor(rand() * PAGES.length)];
      const url = `https://www.example.com${path}${origin.query ?? ""}`;
      const context = { page: { url, path, referrer: origin.referrer ?? "" }, userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" };
      const events = [{ type: "page", messageId: uuid(), anonymousId, timestamp: new Date(at).toISOString(), properties: { url, path, referrer: origin.referrer ?? "" }, context }];
      if (v < resolved && k === 1) {
        const domain = `acct${(v % ACCOUNTS) + 1}.com`;
        events.push({ type: "identify", messageId: uuid(), anonymousId, timestamp: new Date(at + 60_000).toISOString(), traits: { email: `person${v}@${domain}` }, context });
      }
      yield events;
    }
  }
}

const passes = [];
const t0 = Date.now();
const { dir, persist, dbFile } = freshState("revenue");
const worker = await startWorker({ persist });
const base = worker.url;
try {
  const site = await api(base, "/v1/sites", { method: "POST", body: JSON.stringify({ name: "bench", domains: ["example.com"] }) });
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ domain: `acct${i + 1}.com`, name: `Account ${i + 1}`, segment: (i + 1) % 3 === 0 ? "target" : "customer" }));
  await api(base, "/v1/accounts", { method: "PUT", body: JSON.stringify(accounts) });
  const sent = await postEvents(base, site.write_key, visits());
  await waitForStored(base, sent);
  const iso = (ms) => new Date(ms).toISOString();
  const deals = Array.from({ length: WON * 2 }, (_, i) => ({
    id: `deal${i + 1}`, account: `acct${(i % ACCOUNTS) + 1}.com`, amount: 10_000 + i, currency: "USD",
    stage: i < WON ? "closed_won" : "closed_lost", created_at: iso(today - 15 * DAY), closed_at: iso(today - DAY + 10 * 3_600_000), won: i < WON,
  }));
  await api(base, "/v1/deals", { method: "PUT", body: JSON.stringify(deals) });
  const counted = sqlite(`SELECT json_object('sessions', (SELECT count(*) FROM sessions), 'visitors', (SELECT count(*) FROM visitor_identities),
    'resolved', (SELECT count(*) FROM visitor_identities WHERE account_id IS NOT NULL), 'won', (SELECT count(*) FROM deals WHERE won = 1))`).value;
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${sent.toLocaleString("en")} events through /v1/batch and the queue consumer;`, counted);

  const headers = { authorization: "Bearer bench" };
  for (const [model, by] of [["markov", "channel"], ["linear", "channel"]]) {
    const url = `${base}/v1/revenue?model=${model}&by=${by}&window=30d`;
    const first = await (await fetchRetry(url, { headers })).json(); // warm-up, and the answer checked
    if (first.deals !== WON) throw new Error(`unexpected answer: ${JSON.stringify(first).slice(0, 300)}`);
    const sql = reportSql(model, { from: `${first.window.from}T00:00:00.000Z`, to: iso(Date.parse(`${first.window.to}T00:00:00.000Z`) + DAY) });
    const sqlMs = [];
    const m = await bracket(
      async () => (await fetchRetry(url, { headers })).json(),
      async () => {
        const r = sqlite(sql);
        sqlMs.push(r.ms);
        return r.value;
      },
      RUNS,
    );
    // The sqlite3 run's own time is its "Run Time" (no process start-up); the API's is the request's.
    const sqliteMs = median(sqlMs);
    const apiRows = m.answers.subject.rows.filter((r) => r.key !== "total");
    compare(model, apiRows, m.answers.baseline.rows);
    const journeys = m.answers.baseline.journeys;
    console.log(`${model} by ${by}: ${apiRows.length} rows, total ${first.total.revenue} USD over ${first.total.visitors} visitors${journeys ? `, ${journeys.toLocaleString("en")} journeys` : ""}; sqlite3 gives the same rows`);
    console.log(`  GET /v1/revenue median ${m.subject.toFixed(1)} ms (${m.times.subject.map((t) => t.toFixed(0)).join(", ")}); sqlite3 median ${sqliteMs.toFixed(1)} ms (${sqlMs.map((t) => t.toFixed(0)).join(", ")})`);
    passes.push(recordResult({
      name: `revenue: GET /v1/revenue?model=${model}&by=${by}, ${journeys ? `${journeys.toLocaleString("en")} journeys` : "10,000 journeys"}`,
      figure: m.subject, unit: "ms", baseline: sqliteMs, baseline_name: "the same report in SQL, sqlite3 CLI",
      budget: model === "markov" ? BUDGET_MS : null,
    }));
  }
} catch (err) {
  console.error(`collector log (tail):\n${worker.log.slice(-3000)}`);
  throw err;
} finally {
  worker.kill("SIGTERM");
  await sleep(500);
  if (process.env.BENCH_KEEP) console.log(`kept ${dbFile}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exitCode = passes.includes(false) ? 1 : 0;

/** Runs one statement in the sqlite3 CLI on the D1 file (read-only), answers its JSON and its run time. */
function sqlite(sql) {
  const r = spawnSync("sqlite3", ["-readonly", dbFile], { input: `.timer on\n${sql};\n`, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0 || r.stderr) throw new Error(`sqlite3: ${r.stderr}`);
  const time = /Run Time: real ([\d.]+)/.exec(r.stdout);
  const text = r.stdout.replace(/Run Time:.*\n?/g, "").trim();
  sqlite.lastMs = Number(time?.[1]) * 1000;
  let value = null;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: the caller reads `text`
  }
  return { value, text, ms: sqlite.lastMs };
}

/** Every group's revenue (to the cent), visitors and sessions agree between the API and SQL. */
function compare(model, apiRows, sqlRows) {
  const byKey = new Map(sqlRows.map((r) => [r.key, r]));
  const bad = [];
  for (const r of apiRows) {
    const s = byKey.get(r.key);
    if (!s || Math.abs(s.revenue - r.revenue) > 0.011 || s.visitors !== r.visitors || s.sessions !== r.sessions) bad.push({ api: r, sql: s ?? null });
  }
  if (bad.length || sqlRows.length !== apiRows.length) throw new Error(`${model}: the API and sqlite3 disagree: ${JSON.stringify(bad).slice(0, 1500)} (${apiRows.length} vs ${sqlRows.length} rows)`);
}

/**
 * The report by channel as SQL on the tables the consumer wrote, following collector/revenue:
 * won deals closed in [from, to); each deal's touchpoints are the non-bot sessions of its
 * account's visitors that started within the lookback before the close (lookback.ts); linear
 * gives each touch 1/n; markov credits each channel present by its removal-effect share over the
 * channels present, split over its touches (markov.ts markovWeights), the shares from the chain
 * of every journey: the deals' lookbacks (converting) and, per account or anonymous visitor, the
 * window's sessions of everyone else (storage/revenue.ts nonConvertingJourneys), P(conversion)
 * by value iteration (bench/markov-sql.mjs does the same in DuckDB). Traffic: distinct visitors
 * and sessions per channel in the window.
 */
function reportSql(model, { from, to }) {
  const lit = (s) => `'${s}'`;
  const common = `
  won AS (SELECT id, account_id, amount, closed_at FROM deals WHERE won = 1 AND closed_at >= ${lit(from)} AND closed_at < ${lit(to)}),
  touch AS (
    SELECT w.id AS deal, w.amount, s.channel, s.started_at, s.id AS sid, s.anonymous_id, count(*) OVER (PARTITION BY w.id) AS n
    FROM won w JOIN visitor_identities vi ON vi.account_id = w.account_id JOIN sessions s ON s.anonymous_id = vi.anonymous_id
    WHERE s.is_bot = 0 AND julianday(s.started_at) >= julianday(w.closed_at) - ${LOOKBACK_DAYS} AND julianday(s.started_at) <= julianday(w.closed_at)
  ),
  traffic AS (
    SELECT channel AS key, count(DISTINCT anonymous_id) AS visitors, count(*) AS sessions FROM sessions
    WHERE started_at >= ${lit(from)} AND started_at < ${lit(to)} AND is_bot = 0 GROUP BY channel
  )`;
  const linear = `credit AS (SELECT channel AS key, sum(amount * 1.0 / n) AS revenue FROM touch GROUP BY channel)`;
  const ITER = 300;
  const markov = `
  converting AS (
    SELECT 'd' || deal AS id, channel, row_number() OVER (PARTITION BY deal ORDER BY started_at, CAST(sid AS TEXT), anonymous_id) AS step, 1 AS converted FROM touch
  ),
  unit AS (
    SELECT CASE WHEN vi.account_id IS NULL THEN 'v' || s.anonymous_id ELSE 'a' || vi.account_id END AS id, s.channel, s.started_at, s.id AS sid
    FROM sessions s LEFT JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id
    WHERE s.started_at >= ${lit(from)} AND s.started_at < ${lit(to)} AND s.is_bot = 0
      AND (vi.account_id IS NULL OR vi.account_id NOT IN (SELECT account_id FROM won))
  ),
  journeys AS (
    SELECT id, channel, step, converted FROM converting
    UNION ALL SELECT id, channel, row_number() OVER (PARTITION BY id ORDER BY started_at, sid), 0 FROM unit
  ),
  moves AS (
    SELECT channel AS src, coalesce(lead(channel) OVER (PARTITION BY id ORDER BY step), CASE WHEN converted THEN '(conversion)' ELSE '(null)' END) AS dst FROM journeys
  ),
  counts AS (SELECT src, dst, count(*) * 1.0 AS n FROM moves GROUP BY src, dst),
  prob AS (SELECT c.src, c.dst, c.n / (SELECT sum(n) FROM counts t WHERE t.src = c.src) AS p FROM counts c),
  channels AS (SELECT DISTINCT channel AS ch FROM journeys),
  starts AS (SELECT channel AS ch, count(*) * 1.0 / (SELECT count(*) FROM journeys WHERE step = 1) AS p FROM journeys WHERE step = 1 GROUP BY channel),
  kept AS (
    SELECT s.removed AS scn, c.ch AS src, coalesce((SELECT p FROM prob WHERE prob.src = c.ch AND dst = '(conversion)'), 0) AS conv
    FROM (SELECT '' AS removed UNION ALL SELECT ch FROM channels) s, channels c WHERE c.ch <> s.removed
  ),
  -- h: P(conversion | in channel) per scenario, as one JSON object per sweep (SQLite's recursive
  -- select may not aggregate; its subqueries may)
  h(scn, it, v) AS (
    SELECT DISTINCT scn, 0, '{}' FROM kept
    UNION ALL
    SELECT h.scn, h.it + 1, (
      SELECT json_group_object(k.src, k.conv + coalesce((
        SELECT sum(p.p * coalesce(json_extract(h.v, '$."' || p.dst || '"'), 0)) FROM prob p WHERE p.src = k.src AND p.dst <> h.scn), 0))
      FROM kept k WHERE k.scn = h.scn)
    FROM h WHERE h.it < ${ITER}
  ),
  conversion AS (
    SELECT scn, (SELECT sum(st.p * coalesce(json_extract(h.v, '$."' || st.ch || '"'), 0)) FROM starts st WHERE st.ch <> h.scn) AS p FROM h WHERE it = ${ITER}
  ),
  removal AS (SELECT c.scn AS ch, max(0, 1 - c.p / f.p) AS e FROM conversion c, conversion f WHERE f.scn = '' AND c.scn <> ''),
  share AS (SELECT ch, e / (SELECT sum(e) FROM removal) AS s FROM removal),
  present AS (SELECT DISTINCT t.deal, t.channel, sh.s, count(*) OVER (PARTITION BY t.deal, t.channel) AS k FROM touch t JOIN share sh ON sh.ch = t.channel),
  dealshare AS (SELECT deal, sum(s) AS total FROM present GROUP BY deal),
  weighted AS (
    SELECT t.amount, t.channel,
      CASE WHEN ds.total > 0 THEN p.s / ds.total / p.k ELSE 1.0 / t.n END AS w
    FROM touch t JOIN present p ON p.deal = t.deal AND p.channel = t.channel JOIN dealshare ds ON ds.deal = t.deal
  ),
  credit AS (SELECT channel AS key, sum(amount * w) AS revenue FROM weighted GROUP BY channel)`;
  return `WITH RECURSIVE ${common}, ${model === "markov" ? markov : linear},
  keys AS (SELECT key FROM credit UNION SELECT key FROM traffic)
  SELECT json_object('journeys', ${model === "markov" ? "(SELECT count(DISTINCT id) FROM journeys)" : "NULL"},
    'rows', json_group_array(json_object('key', k.key, 'visitors', coalesce(t.visitors, 0), 'sessions', coalesce(t.sessions, 0), 'revenue', round(coalesce(c.revenue, 0), 2))))
  FROM keys k LEFT JOIN credit c ON c.key = k.key LEFT JOIN traffic t ON t.key = k.key`;
}
