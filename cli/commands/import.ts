// CSV imports of accounts, deals and ad spend, in chunks, with a progress bar and the refused rows named.
// The file is parsed here and each chunk is sent as JSON rows (the API takes both; JSON keeps
// the row numbering exact). Imports upsert, so re-running after a failure is safe.
import { readFile } from "node:fs/promises";
import type { FootholdClient } from "../client/client";
import { type Command, EXIT, positiveInt, type RunContext, str, UsageError } from "../command";
import { chunkRecords, missingColumns, nameRow, readCsv, splitList } from "../csv-chunks";
import { progressBar } from "../progress";

const MAX_CHUNK = 10_000; // the collector's rows per request

/** What both imports answer (PUT /v1/accounts adds re_resolved, PUT /v1/deals accounts_created). */
interface ImportResult {
  created: number;
  updated: number;
  errors: Array<{ row: number; reason: string }>;
  re_resolved?: number;
  accounts_created?: string[];
}

interface ImportKind {
  what: "accounts" | "deals" | "spend";
  columns: readonly string[];
  required: readonly string[];
  toRow(record: Record<string, string>): object;
  upload(client: FootholdClient, rows: object[]): Promise<ImportResult>;
}

const ACCOUNTS: ImportKind = {
  what: "accounts",
  columns: ["domain", "name", "crm_id", "segment", "domains", "asns"],
  required: ["domain"],
  // `domains` and `asns` list extra values separated by ";" in CSV, arrays in JSON.
  toRow: (r) => ({ ...r, domains: splitList(r.domains), asns: splitList(r.asns) }),
  upload: (client, rows) => client.accounts.importRows(rows),
};

const DEALS: ImportKind = {
  what: "deals",
  columns: ["id", "account", "amount", "currency", "stage", "created_at", "closed_at", "won", "type"],
  required: ["id", "account", "amount"],
  toRow: (r) => r,
  upload: (client, rows) => client.deals.importRows(rows),
};

const SPEND: ImportKind = {
  what: "spend",
  columns: ["date", "channel", "source", "medium", "campaign", "amount", "currency", "clicks", "impressions"],
  required: ["date", "amount", "currency"],
  toRow: (r) => r,
  upload: (client, rows) => client.spend.importRows(rows),
};

const chunkOption = { chunk: { type: "string" as const, help: `<rows>  rows per request (default 1000, at most ${MAX_CHUNK})` } };

export const importAccounts: Command = {
  words: ["import", "accounts"],
  args: "<file.csv>",
  summary: `Upsert accounts from CSV (columns: ${ACCOUNTS.columns.join(", ")})`,
  options: chunkOption,
  details: ["`domains` and `asns` hold extra values separated by `;`. Use - to read standard input.", "Exit code 3 when some rows were refused (the others are imported)."],
  run: (ctx) => runImport(ctx, ACCOUNTS),
};

export const importDeals: Command = {
  words: ["import", "deals"],
  args: "<file.csv>",
  summary: `Upsert deals from CSV (columns: ${DEALS.columns.join(", ")})`,
  options: chunkOption,
  details: ["`account` is the account's domain or crm_id; dates are ISO (2026-03-31); won is true or false;", "type is new_business or expansion (empty: the account's first won deal is new business, later ones expansion).", "Exit code 3 when some rows were refused (the others are imported)."],
  run: (ctx) => runImport(ctx, DEALS),
};

async function runImport(ctx: RunContext, kind: ImportKind): Promise<number> {
  const file = ctx.positionals[0];
  if (!file) throw new UsageError(`Give the CSV file: foothold import ${kind.what} <file.csv> (or - for standard input).`);
  const chunkRows = positiveInt(str(ctx.values.chunk), "chunk", 1000, MAX_CHUNK);
  const client = ctx.client();
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const csv = readCsv(text);
  const missing = missingColumns(csv, kind.required);
  if (missing.length) throw new UsageError(`${file} needs a header row with the columns ${kind.columns.join(", ")}; missing: ${missing.join(", ")}.`);
  if (csv.records.length === 0) throw new UsageError(`${file} has no rows under its header.`);

  const total = { created: 0, updated: 0, re_resolved: 0, accounts_created: [] as string[], errors: [] as ImportResult["errors"] };
  const bar = progressBar(`Importing ${kind.what}`, csv.records.length);
  let done = 0;
  for (const chunk of chunkRecords(csv.records.map(kind.toRow), chunkRows)) {
    let r: ImportResult;
    try {
      r = await kind.upload(client, chunk.records);
    } catch (err) {
      bar.finish();
      const message = err instanceof Error ? err.message : String(err);
      const before = done > 0 ? ` The ${done} rows before were imported; running the same import again is safe (it upserts).` : "";
      throw new Error(`Stopped at rows ${chunk.offset + 1}–${chunk.offset + chunk.records.length}: ${message}${before}`, { cause: err });
    }
    total.created += r.created;
    total.updated += r.updated;
    total.re_resolved += r.re_resolved ?? 0;
    total.accounts_created.push(...(r.accounts_created ?? []));
    // The collector numbers rows within each request; the summary numbers them within the file.
    total.errors.push(...r.errors.map((e) => ({ row: e.row + chunk.offset, reason: e.reason })));
    done += chunk.records.length;
    bar.update(done);
  }
  bar.finish();

  const refused = total.errors.length;
  ctx.out(`Imported ${kind.what} from ${file === "-" ? "standard input" : file}: ${total.created} created, ${total.updated} updated, ${refused} refused.`);
  if (total.re_resolved) ctx.out(`${total.re_resolved} past visitors now resolve to a different account.`);
  if (total.accounts_created.length) ctx.out(`New accounts for unknown domains: ${total.accounts_created.join(", ")}.`);
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

export const importSpend: Command = {
  words: ["import", "spend"],
  args: "<file.csv>",
  summary: `Upsert ad spend from CSV (columns: ${SPEND.columns.join(", ")})`,
  options: chunkOption,
  details: [
    "One row per day and campaign, upserted by (date, channel, source, medium, campaign); date is YYYY-MM-DD, amount a plain number.",
    "Without a channel, the row gets the one a visit with its source and medium would get (google/cpc → Paid Search).",
    "Exit code 3 when some rows were refused (the others are imported).",
  ],
  run: (ctx) => runImport(ctx, SPEND),
};
