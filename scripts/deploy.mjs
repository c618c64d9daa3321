#!/usr/bin/env node
// `npm run deploy`: build the snippet, apply D1 migrations to the remote database, deploy.
import { spawnSync } from "node:child_process";

for (const [cmd, args] of [
  [process.execPath, ["scripts/build-tracker.mjs"]],
  [process.execPath, ["scripts/build-dashboard.mjs"]],
  ["wrangler", ["d1", "migrations", "apply", "DB", "--remote"]],
  ["wrangler", ["deploy", ...process.argv.slice(2)]],
]) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
