// CSV imports of accounts and deals, in chunks, with a progress bar and the refused rows named.
// Imports upsert (accounts by crm_id or domain, deals by id), so re-running after a failure is safe.
import { readFile } from "node:fs/promises";
import type { ImportResult } from "../client/types";
import { type Command, EXIT, positiveInt, str, UsageError, type RunContext } from "../command";
import { chunkCsv, nameRow } from "../csv-chunks";
import { progressBar } from "../progress";

const MAX_CHUNK = 10_000; // the collector's rows per request (collector/accounts/import-rows.ts)

const chunkOption = { chunk: { type: "string" as const, help: `<rows>  rows per request (default 1000, at most ${MAX_CHUNK})` } };

export const importAccounts: Command = {
  words: ["import", "accounts"],
  args: "<file.csv>",
  summary: "Upsert accounts from CSV (columns: domain, name, crm_id, segment, domains, asns)",
  options: chunkOption,
  details: ["`domains` and `asns` hold extra values separated by `;`. Use - to read standard input.", "Exit code 3 when some rows were refused (the others are imported)."],
  run: (ctx) => runImport(ctx, "accounts", (client, csv) => client.accounts.importCsv(csv)),
};

export const importDeals: Command = {
  words: ["import", "deals"],
  args: "<file.csv>",
  summary: "Upsert deals from CSV (columns: id, account, amount, currency, stage, created_at, closed_at, won)",
  options: chunkOption,
  details: ["`account` is the account's domain or crm_id; dates are ISO (2026-03-31); won is true or false.", "Exit code 3 when some rows were refused (the others are imported)."],
  run: (ctx) => runImport(ctx, "deals", (client, csv) => client.deals.importCsv(csv)),
};

type Upload = (client: ReturnType<RunContext["client"]>, csv: string) => Promise<ImportResult>;

async function runImport(ctx: RunContext, what: "accounts" | "deals", upload: Upload): Promise<number> {
  const file = ctx.positionals[0];
  if (!file) throw new UsageError(`Give the CSV file: foothold import ${what} <file.csv> (or - for standard input).`);
  const chunkRows = positiveInt(str(ctx.values.chunk), "chunk", 1000, MAX_CHUNK);
  const client = ctx.client();
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const csv = chunkCsv(text, chunkRows);
  if (csv.rows.length === 0) throw new UsageError(`${file} has no rows under its header.`);

  const total: ImportResult = { created: 0, updated: 0, invalid: 0, errors: [], re_resolved: 0, accounts_created: [] };
  const bar = progressBar(`Importing ${what}`, csv.rows.length);
  let done = 0;
  for (const chunk of csv.chunks) {
    let r: ImportResult;
    try {
      r = await upload(client, chunk.csv);
    } catch (err) {
      bar.finish();
      const message = err instanceof Error ? err.message : String(err);
      const before = done > 0 ? ` The ${done} rows before were imported; running the same import again is safe (it upserts).` : "";
      throw new Error(`Stopped at rows ${chunk.offset + 1}–${chunk.offset + chunk.rows}: ${message}${before}`, { cause: err });
    }
    total.created += r.created;
    total.updated += r.updated;
    total.invalid += r.invalid;
    total.re_resolved = (total.re_resolved ?? 0) + (r.re_resolved ?? 0);
    total.accounts_created = [...(total.accounts_created ?? []), ...(r.accounts_created ?? [])];
    // The collector numbers rows within each request; the summary numbers them within the file.
    total.errors.push(...r.errors.map((e) => ({ row: e.row + chunk.offset, reason: e.reason })));
    done += chunk.rows;
    bar.update(done);
  }
  bar.finish();

  const refused = total.errors.length;
  ctx.out(`Imported ${what} from ${file === "-" ? "standard input" : file}: ${total.created} created, ${total.updated} updated, ${refused} refused.`);
  if (what === "accounts" && total.re_resolved) ctx.out(`${total.re_resolved} past visitors now resolve to a different account.`);
  if (what === "deals" && total.accounts_created?.length) ctx.out(`New accounts for unknown domains: ${total.accounts_created.join(", ")}.`);
  if (refused === 0) return EXIT.ok;
  ctx.out(`Refused row${refused === 1 ? "" : "s"} (row 1 is the first under the header):`);
  for (const e of total.errors.sort((a, b) => a.row - b.row).slice(0, 50)) ctx.out(`  ${nameRow(csv, e.row)}: ${e.reason}`);
  if (refused > 50) ctx.out(`  … and ${refused - 50} more.`);
  return EXIT.partial;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
