import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Writes only when the content differs: a running `wrangler dev` reloads the Worker on any
 * write to a file it bundles, and a reload drops its local queue (held in memory).
 */
export function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return false;
  writeFileSync(file, content);
  return true;
}
