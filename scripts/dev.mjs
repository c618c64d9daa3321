#!/usr/bin/env node
// `npm run dev [-- wrangler dev args]`: build the snippet, apply the D1 migrations to the local
// database, write a local ADMIN_TOKEN and HASH_SECRET if none are set, then run `wrangler dev` (local D1,
// Queues and R2 under .wrangler/state; nothing leaves this machine).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { completeDevVars, passedVars } from "./dev-vars.mjs";

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

// A local ADMIN_TOKEN and HASH_SECRET, added to .dev.vars when it lacks them (an older one may).
const devVars = completeDevVars(existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : null, passedVars(args));
if (devVars.text !== null) {
  writeFileSync(".dev.vars", devVars.text);
  const shown = devVars.added.map((n) => (n === "ADMIN_TOKEN" ? "ADMIN_TOKEN=dev-admin-token" : `a random ${n}`));
  console.log(`Wrote ${shown.join(" and ")} into .dev.vars (local development only).`);
}

const child = spawn("wrangler", ["dev", ...args], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
