// One page of an erasure's scan of a bucket folder (SPEC §13): every object in it, read and —
// when it holds lines of the erased person — rewritten whole without them and put back at the
// same key (R2 puts are atomic; a put lands only on the version read). NDJSON objects get their
// ledger row count fixed, Parquet files their manifest entry. Every step is idempotent: a page
// run again finds clean objects and fixes only counts that still disagree.
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import type { Env } from "../env";
import type { QueueMessageBody } from "../events";
import { EXPORT_COLUMNS } from "../export/columns";
import { rowsToParquet, SCHEMA_VERSION, type ParquetColumn } from "../export/parquet";
import { REJECT_COLUMNS, REJECTS_SCHEMA_VERSION } from "../export/reject-columns";
import type { LedgerRow } from "../storage/archive";
import { recordFile, type FileKind } from "../storage/privacy";
import {
  archiveRef,
  deleteObjects,
  folderPage,
  type FileChange,
  ledgerRowsOf,
  type Listed,
  manifestFiles,
  partRef,
  readBytes,
  readText,
  replaceObject,
  setLedgerRows,
  unlist,
  updateManifestFiles,
} from "../storage/privacy-objects";
import { eventMatches, type ErasedKeys, mayMention, rejectMatches, withoutLines } from "./match";

type Store = Pick<Env, "DB" | "ARCHIVE">;

/** Objects per page: each is a GET and maybe a PUT, well inside an invocation's subrequests. */
export const PAGE_OBJECTS = 100;
/** A version read that changed under us (an unlisted object a retried batch rewrote) is read again. */
const REREADS = 3;

export interface PageResult {
  /** the last key finished: where the next page starts */
  last: string | null;
  more: boolean;
}

interface Context {
  store: Store;
  erasureId: string;
  keys: ErasedKeys;
  ledger: Map<string, LedgerRow>;
  manifest: Map<string, { rows: number; bytes: number }>;
  ledgerFixes: { row: LedgerRow; rows: number }[];
  manifestChanges: FileChange[];
  now: string;
}

export async function scanPage(store: Store, erasureId: string, prefix: string, startAfter: string | null, keys: ErasedKeys, now: string, limit = PAGE_OBJECTS): Promise<PageResult> {
  const page = await folderPage(store.ARCHIVE, prefix, startAfter, limit);
  const ndjson = page.objects.filter((o) => o.key.endsWith(".ndjson")).map((o) => o.key);
  const parquet = page.objects.some((o) => o.key.endsWith(".parquet"));
  const ctx: Context = {
    store, erasureId, keys, now,
    ledger: await ledgerRowsOf(store.DB, ndjson),
    manifest: parquet ? (await manifestFiles(store.ARCHIVE)).files : new Map(),
    ledgerFixes: [],
    manifestChanges: [],
  };
  for (const o of page.objects) await scanObject(ctx, o);
  await setLedgerRows(store.DB, ctx.ledgerFixes);
  await updateManifestFiles(store.ARCHIVE, ctx.manifestChanges, now);
  const last = page.objects.length ? page.objects[page.objects.length - 1].key : startAfter;
  return { last, more: page.more };
}

async function scanObject(ctx: Context, o: Listed): Promise<void> {
  for (let i = 0; i < REREADS; i++) {
    const settled = o.key.startsWith("dead/")
      ? await scanDeadLetter(ctx, o.key)
      : o.key.endsWith(".ndjson")
        ? await scanNdjson(ctx, o.key)
        : o.key.endsWith(".parquet")
          ? await scanParquet(ctx, o.key)
          : true;
    if (settled) return;
  }
  throw new Error(`${o.key} kept changing while the erasure rewrote it`);
}

/** Raw events or rejects, one JSON line each. Answers false when the object changed under the rewrite. */
async function scanNdjson(ctx: Context, key: string): Promise<boolean> {
  const ref = archiveRef(key);
  if (!ref) return true;
  const obj = await readText(ctx.store.ARCHIVE, key);
  if (!obj) return true;
  const listed = ctx.ledger.get(key);
  const matches = ref.stream === "raw" ? (row: Record<string, unknown>) => eventMatches(row, ctx.keys) : (row: Record<string, unknown>) => rejectMatches(row as { payload: string }, ctx.keys);
  const result = mayMention(obj.text, ctx.keys) ? withoutLines(obj.text, matches) : { text: obj.text, lines: countLines(obj.text), removed: 0 };
  if (result.removed > 0) {
    await recordFile(ctx.store.DB, ctx.erasureId, key, ref.stream === "raw" ? "raw" : "rejects", result.removed).run();
    if (result.lines === 0 && listed) {
      await unlist(ctx.store.DB, listed);
      await deleteObjects(ctx.store.ARCHIVE, [key]);
      return true;
    }
    // An unlisted object (a failed batch's) is rewritten too: it is never read, but it is kept in R2 until retention drops it.
    if (!(await replaceObject(ctx.store.ARCHIVE, key, obj.etag, result.text, "application/x-ndjson"))) return false;
  }
  if (listed && listed.rows !== result.lines) ctx.ledgerFixes.push({ row: listed, rows: result.lines });
  return true;
}

const countLines = (text: string) => text.split("\n").filter((l) => l !== "").length;

interface PartSchema {
  columns: readonly ParquetColumn<Record<string, unknown>>[];
  version: string;
  /** the columns that name a person: all a clean file needs read */
  person: string[];
  matches: (row: Record<string, unknown>, keys: ErasedKeys) => boolean;
}

const PARTS: Record<"events" | "rejects", PartSchema> = {
  events: {
    columns: EXPORT_COLUMNS as unknown as ParquetColumn<Record<string, unknown>>[],
    version: SCHEMA_VERSION,
    person: ["anonymous_id", "user_id", "email_hash", "previous_id"],
    matches: (row, keys) => eventMatches(row, keys),
  },
  rejects: {
    columns: REJECT_COLUMNS as unknown as ParquetColumn<Record<string, unknown>>[],
    version: REJECTS_SCHEMA_VERSION,
    person: ["payload"],
    matches: (row, keys) => rejectMatches(row as { payload: string }, keys),
  },
};

/** A listed Parquet part: read its person columns; if any row is the person's, rewrite it without them. */
async function scanParquet(ctx: Context, key: string): Promise<boolean> {
  const ref = partRef(key);
  const listed = ctx.manifest.get(key);
  // Unlisted parts are a run's pending range (that run filters the person out) or leftovers the
  // erasure's last step deletes.
  if (!ref || !listed) return true;
  const obj = await readBytes(ctx.store.ARCHIVE, key);
  if (!obj) return true;
  const schema = PARTS[ref.stream];
  const metadata = parquetMetadata(obj.bytes);
  const version = metadata.key_value_metadata?.find((kv) => kv.key === "foothold.schema")?.value;
  if (version !== schema.version) throw new Error(`${key} is ${version ?? "not a foothold file"}, not ${schema.version}: left as it is`);
  const rows = Number(metadata.num_rows);
  const people = (await parquetReadObjects({ file: obj.bytes, metadata, columns: schema.person })) as Record<string, unknown>[];
  const erased = new Set<number>();
  people.forEach((row, i) => schema.matches(row, ctx.keys) && erased.add(i));
  if (erased.size === 0) {
    if (listed.rows !== rows || listed.bytes !== obj.bytes.byteLength) ctx.manifestChanges.push({ key, rows, bytes: obj.bytes.byteLength });
    return true;
  }
  await recordFile(ctx.store.DB, ctx.erasureId, key, "parquet", erased.size).run();
  if (erased.size === rows) {
    // Nothing left: the manifest drops it before the file goes, so a reader never meets a listed file that is missing.
    await updateManifestFiles(ctx.store.ARCHIVE, [{ key, gone: true }], ctx.now);
    await deleteObjects(ctx.store.ARCHIVE, [key]);
    return true;
  }
  const all = (await parquetReadObjects({ file: obj.bytes, metadata })) as Record<string, unknown>[];
  const kept = all.filter((_, i) => !erased.has(i)).map((row) => writable(row, schema.columns));
  const bytes = rowsToParquet(schema.columns, kept, schema.version);
  if (!(await replaceObject(ctx.store.ARCHIVE, key, obj.etag, bytes, "application/vnd.apache.parquet"))) return false;
  ctx.manifestChanges.push({ key, rows: kept.length, bytes: bytes.byteLength });
  return true;
}

/** A row read back (instants as Dates, JSON parsed) as the writer takes it (ISO text, JSON text). */
function writable(row: Record<string, unknown>, columns: PartSchema["columns"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.name];
    if (v === null || v === undefined) out[c.name] = null;
    else if (c.type === "TIMESTAMP") out[c.name] = v instanceof Date ? v.toISOString() : v;
    else if (c.type === "JSON") out[c.name] = JSON.stringify(v);
    else out[c.name] = v;
  }
  return out;
}

interface Parked {
  body: QueueMessageBody;
  [field: string]: unknown;
}

/** A parked dead letter: the message without the person's events and rejects. */
async function scanDeadLetter(ctx: Context, key: string): Promise<boolean> {
  if (!key.endsWith(".json")) return true;
  const obj = await readText(ctx.store.ARCHIVE, key);
  if (!obj || !mayMention(obj.text, ctx.keys)) return true;
  const parked = JSON.parse(obj.text) as Parked;
  const events = parked.body.events.filter((e) => !eventMatches(e, ctx.keys));
  const rejects = parked.body.rejects.filter((r) => !rejectMatches(r, ctx.keys));
  const removed = parked.body.events.length - events.length + parked.body.rejects.length - rejects.length;
  if (removed === 0) return true;
  await recordFile(ctx.store.DB, ctx.erasureId, key, "dead" satisfies FileKind, removed).run();
  return replaceObject(ctx.store.ARCHIVE, key, obj.etag, JSON.stringify({ ...parked, body: { ...parked.body, events, rejects } }), "application/json");
}
