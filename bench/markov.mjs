#!/usr/bin/env node
// Markov removal-effect attribution over 10,000 journeys (SPEC §9: GET /v1/revenue?model=markov
// over 10,000 journeys ≤ 1 s; this is the computation alone, bench/revenue.mjs times the whole
// request). The collector's markovRemovalEffects (collector/revenue/markov.ts, bundled as the
// Worker runs it) beside the same computation in DuckDB SQL (bench/markov-sql.mjs) over the same
// journeys loaded into a DuckDB table, bracketed. Both answers must agree.
// Run: npm run bench -- markov
import { DuckDBInstance } from "@duckdb/node-api";
import { bracket, importCollector, prng, recordResult } from "./lib.mjs";
import { removalEffectsSql } from "./markov-sql.mjs";

const BUDGET_MS = 1_000;
const JOURNEYS = 10_000;
const CHANNELS = ["Direct", "Organic Search", "Paid Search", "Organic Social", "Paid Social", "Email", "Referral", "Display"];
const RUNS = 7;

const { markovRemovalEffects } = await importCollector("collector/revenue/markov.ts");

const random = prng(20260630);
const journeys = Array.from({ length: JOURNEYS }, () => {
  const length = 1 + Math.floor(random() * 20); // 1–20 touches
  const path = Array.from({ length }, () => CHANNELS[Math.floor(random() * CHANNELS.length)]);
  return { path, converted: random() < 0.03 };
});

const db = await (await DuckDBInstance.create(":memory:")).connect();
await db.run("CREATE TABLE journeys (id INTEGER, step INTEGER, channel VARCHAR, converted BOOLEAN)");
const appender = await db.createAppender("journeys");
journeys.forEach((j, id) =>
  j.path.forEach((channel, step) => {
    appender.appendInteger(id);
    appender.appendInteger(step);
    appender.appendVarchar(channel);
    appender.appendBoolean(j.converted);
    appender.endRow();
  }),
);
appender.closeSync();
const threads = (await db.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t;
const sql = removalEffectsSql();

const counted = (await db.runAndReadAll("SELECT count(*) AS touches, count(DISTINCT id) AS journeys, count(DISTINCT id) FILTER (WHERE converted) AS converted FROM journeys")).getRowObjectsJS()[0];
const duck = async () => new Map((await db.runAndReadAll(sql)).getRowObjectsJS().map((r) => [r.channel, r.share]));
const m = await bracket(() => markovRemovalEffects(journeys), duck, RUNS);

// The same answer both ways: every channel's share, to 1e-9.
const ours = m.answers.subject;
const theirs = m.answers.baseline;
const worst = Math.max(...CHANNELS.map((c) => Math.abs((ours.get(c) ?? NaN) - (theirs.get(c) ?? NaN))));
if (ours.size !== CHANNELS.length || !(worst < 1e-9)) throw new Error(`the answers differ by ${worst}: ${JSON.stringify([...ours])} vs ${JSON.stringify([...theirs])}`);

console.log(`${Number(counted.journeys).toLocaleString("en")} journeys, ${Number(counted.touches).toLocaleString("en")} touches, ${counted.converted} converting, ${ours.size} channels (node ${process.version}, DuckDB ${threads} threads)`);
console.log(`shares: ${[...ours].map(([c, s]) => `${c} ${(s * 100).toFixed(2)}%`).join(", ")}; DuckDB's differ by at most ${worst.toExponential(1)}`);
console.log(`markovRemovalEffects: median ${m.subject.toFixed(2)} ms (${m.times.subject.map((t) => t.toFixed(1)).join(", ")})`);
console.log(`DuckDB SQL:           median ${m.baseline.toFixed(2)} ms (${m.times.baseline.map((t) => t.toFixed(1)).join(", ")})`);
const pass = recordResult({
  name: "markov: removal effects, 10,000 journeys",
  figure: m.subject, unit: "ms", baseline: m.baseline, baseline_name: "the same chain in DuckDB SQL",
  budget: BUDGET_MS,
});
console.log(`ratio ${(m.subject / m.baseline).toFixed(3)}; budget ≤ ${BUDGET_MS} ms: ${pass ? "met" : "MISSED"}`);
db.closeSync();
process.exitCode = pass ? 0 : 1;
