// The local secrets `npm run dev` needs in .dev.vars (never used in production, where they are
// `wrangler secret put ADMIN_TOKEN` / `wrangler secret put HASH_SECRET`). Pure: the caller reads
// and writes the file.
import { randomBytes } from "node:crypto";

const HEADER = "# Local only; production uses `wrangler secret put ADMIN_TOKEN` and `wrangler secret put HASH_SECRET`.\n";

const hasVar = (text, name) => new RegExp(`^\\s*${name}\\s*=`, "m").test(text);

/**
 * The .dev.vars text with what is missing added: ADMIN_TOKEN=dev-admin-token and a random
 * HASH_SECRET, each unless the file has it or `--var NAME:…` passes it. `text` is null when there
 * is no file; the answer's `text` is null when nothing needs writing.
 */
export function completeDevVars(text, passed, secret = randomBytes(32).toString("hex")) {
  const added = [];
  let out = text ?? HEADER;
  const add = (name, value) => {
    if (passed.has(name) || (text !== null && hasVar(text, name))) return;
    if (!out.endsWith("\n")) out += "\n";
    out += `${name}=${value}\n`;
    added.push(name);
  };
  add("ADMIN_TOKEN", "dev-admin-token");
  add("HASH_SECRET", secret);
  return { text: added.length ? out : null, added };
}

/** Names given as `--var NAME:value` among wrangler dev's arguments. */
export function passedVars(args) {
  const names = new Set();
  args.forEach((a, i) => {
    if (a === "--var" && typeof args[i + 1] === "string") names.add(args[i + 1].split(":")[0]);
  });
  return names;
}
