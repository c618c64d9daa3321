#!/usr/bin/env node
// `npm run bench`: every benchmark under bench/, one after another (they share two cores).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const only = process.argv.slice(2);
const all = ["ingest.mjs", "redaction.mjs", "markov.mjs", "revenue.mjs", "pipeline.mjs", "content.mjs", "parquet.mjs", "accounts.mjs", "schema.mjs", "alerts.mjs"];
let failed = 0;
for (const file of all.filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))) {
  const full = path.join(import.meta.dirname, file);
  if (!existsSync(full)) continue;
  console.log(`\n## ${file}`);
  const r = spawnSync(process.execPath, [full], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
