#!/usr/bin/env node
// Builds the CLI: cli/bin.ts → dist/cli.mjs, one ESM file for Node 20+ (the package's `bin`).
// `buildCli()` is also called by the CLI's end-to-end test, so it always runs the current source.
import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_PATH = path.join(ROOT, "dist/cli.mjs");

export async function buildCli() {
  mkdirSync(path.dirname(CLI_PATH), { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, "cli/bin.ts")],
    outfile: CLI_PATH,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    legalComments: "none",
    banner: { js: "#!/usr/bin/env node" },
    tsconfig: path.join(ROOT, "cli/tsconfig.json"),
  });
  chmodSync(CLI_PATH, 0o755);
  return CLI_PATH;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`cli → ${path.relative(ROOT, await buildCli())}`);
}
