#!/usr/bin/env node
// `npm run dev [-- wrangler dev args]`: build the snippet, apply the D1 migrations to the local
// database, write a local ADMIN_TOKEN if none is set, then run `wrangler dev` (local D1,
// Queues and R2 under .wrangler/state; nothing leaves this machine).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ["scripts/build-tracker.mjs"]);
run(process.execPath, ["scripts/build-dashboard.mjs"]);
// --persist-to must reach both the migration and the dev server.
const persist = args.findIndex((a) => a === "--persist-to");
const persistArgs = persist >= 0 ? ["--persist-to", args[persist + 1]] : [];
run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs]);

const hasToken = args.some((a, i) => a === "--var" && String(args[i + 1]).startsWith("ADMIN_TOKEN:"));
if (!hasToken && !existsSync(".dev.vars")) {
  writeFileSync(".dev.vars", "# Local only; production uses `wrangler secret put ADMIN_TOKEN`.\nADMIN_TOKEN=dev-admin-token\n");
  console.log("Wrote .dev.vars with ADMIN_TOKEN=dev-admin-token (local development only).");
}

const child = spawn("wrangler", ["dev", ...args], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
