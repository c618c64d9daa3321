#!/usr/bin/env node
// `npm run size`: the built snippet's raw, gzip -9 and brotli sizes against the budget (SPEC §9).
import { spawnSync } from "node:child_process";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { buildTracker } from "./build-tracker.mjs";

export const GZIP_BUDGET = 1400;
const OTHERS = { Plausible: 2694, Umami: 2225, Counterscale: 1896 };

/** The budget is stated for `gzip -9`: use the real tool when present (zlib's output can differ by a few bytes). */
function gzip9(buf) {
  const r = spawnSync("gzip", ["-9", "-n", "-c"], { input: buf });
  return r.status === 0 ? r.stdout.length : gzipSync(buf, { level: 9 }).length;
}

/** @param {string} code @returns {{ raw: number; gzip: number; brotli: number }} */
export function measure(code) {
  const buf = Buffer.from(code);
  return {
    raw: buf.length,
    gzip: gzip9(buf),
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const s = measure(await buildTracker());
  console.log(`s.js  raw ${s.raw} B   gzip -9 ${s.gzip} B   brotli ${s.brotli} B   (budget ${GZIP_BUDGET} B gzip)`);
  for (const [name, bytes] of Object.entries(OTHERS)) console.log(`  ${name.padEnd(12)} ${bytes} B gzip (${Math.round((s.gzip / bytes) * 100)}% of it)`);
  if (s.gzip > GZIP_BUDGET) {
    console.error(`over budget by ${s.gzip - GZIP_BUDGET} B`);
    process.exit(1);
  }
}
