#!/usr/bin/env node
// `npm run bench`: every benchmark under bench/, one after another (they share two cores), each
// recording its figures in bench/results.json (lib.mjs recordResult). A full run starts that file
// empty; `npm run bench -- markov accounts` runs the benches whose names start so and keeps the
// other figures. Exits non-zero when a bench failed or any recorded figure missed its budget.
// Every .mjs file here is a bench except the shared modules below; LONG ones run only when named.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { RESULTS_FILE } from "./lib.mjs";

const SHARED = new Set(["lib.mjs", "run.mjs", "seed.mjs", "table.mjs", "traffic.mjs", "markov-sql.mjs"]);
const LONG = new Set(["soak.mjs"]);
// Ingest first: it is the most sensitive to what ran before it (a warm disk cache, a busy core).
const FIRST = ["ingest.mjs"];

const only = process.argv.slice(2);
const found = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".mjs") && !SHARED.has(f)).sort();
const all = [...FIRST.filter((f) => found.includes(f)), ...found.filter((f) => !FIRST.includes(f))];
const chosen = only.length === 0 ? all.filter((f) => !LONG.has(f)) : all.filter((f) => only.some((o) => f.startsWith(o)));
if (chosen.length === 0) {
  console.error(`no bench matches ${only.join(", ")}; there are: ${all.join(", ")}`);
  process.exit(2);
}
if (only.length === 0) writeFileSync(RESULTS_FILE, "[]\n");

const failed = [];
for (const file of chosen) {
  console.log(`\n## ${file}`);
  const r = spawnSync(process.execPath, [`${import.meta.dirname}/${file}`], { stdio: "inherit" });
  if (r.status !== 0) failed.push(`${file} exited with ${r.status ?? r.signal}`);
}

let results = [];
try {
  results = JSON.parse(readFileSync(RESULTS_FILE, "utf8"));
} catch {
  // no bench recorded anything
}
const missed = results.filter((r) => r.pass === false);
console.log(`\n## results (${RESULTS_FILE})`);
console.table(results.map((r) => ({ name: r.name, figure: `${r.figure} ${r.unit}`, baseline: r.baseline === null ? "" : `${r.baseline} (${r.baseline_name})`, ratio: r.ratio ?? "", budget: r.budget === null ? "" : `${r.budget_op === ">=" ? "≥" : "≤"} ${r.budget}${r.budget_on === "ratio" ? " ×" : ""}`, pass: r.pass ?? "" })));
for (const r of missed) failed.push(`budget missed: ${r.name}`);
if (failed.length) console.error(`\n${failed.join("\n")}`);
process.exit(failed.length ? 1 : 0);
