#!/usr/bin/env node
// `npm run bench:table`: the README's benchmark table, rendered from bench/results.json (what the
// last `npm run bench` measured). Prints it; with `--write`, replaces the table in README.md
// between its `<!-- bench:table -->` and `<!-- /bench:table -->` markers.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_FILE, ROOT } from "./lib.mjs";

const results = JSON.parse(readFileSync(RESULTS_FILE, "utf8"));
const num = (x) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : String(+x.toPrecision(3)));
const budgetOf = (r) => {
  if (r.budget === null) return "—";
  const op = r.budget_op === ">=" ? "≥" : "≤";
  return r.budget_on === "ratio" ? `${op} ${r.budget} × baseline` : `${op} ${num(r.budget)} ${r.unit}`;
};
const met = (r) => (r.pass === null ? "—" : r.pass ? "yes" : "**no**");
const esc = (s) => String(s).replaceAll("|", "\\|");

const lines = [
  "| figure | result | baseline (same run) | ratio | budget | met | note |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...results.map((r) =>
    [
      esc(r.name),
      `${num(r.figure)} ${r.unit}`,
      r.baseline === null ? "—" : `${num(r.baseline)} ${r.unit}: ${esc(r.baseline_name)}`,
      r.ratio === null ? "—" : `${num(r.ratio)}`,
      budgetOf(r),
      met(r),
      r.note ? esc(r.note) : "",
    ].join(" | "),
  ).map((row) => `| ${row} |`),
];
const at = results.map((r) => r.at).sort();
const loads = results.map((r) => r.load).filter((l) => typeof l === "number");
const load = loads.length ? `; 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} while measuring (a shared machine)` : "";
const table = `${lines.join("\n")}\n\nMeasured ${at[0]?.slice(0, 16).replace("T", " ") ?? "never"} to ${at.at(-1)?.slice(11, 16) ?? ""} UTC (bench/results.json)${load}.`;

if (process.argv.includes("--write")) {
  const readme = path.join(ROOT, "README.md");
  const text = readFileSync(readme, "utf8");
  const re = /(<!-- bench:table -->)[\s\S]*?(<!-- \/bench:table -->)/;
  if (!re.test(text)) throw new Error("README.md has no <!-- bench:table --> … <!-- /bench:table --> markers");
  writeFileSync(readme, text.replace(re, (_, open, close) => `${open}\n${table}\n${close}`));
  console.log(`README.md: table of ${results.length} figures written`);
} else {
  console.log(table);
}
