// The export manifest (SPEC §7), kept as one JSON object in R2: for each stream (events, rejects)
// the Parquet files written so far, and the archive `seq` cursor they cover.
//
// Compaction reads the ledgered raw archive (storage/archive.ts): listed objects hold each
// committed event exactly once under a seq that only grows. A step claims a seq range by writing it into the manifest as `pending`
// BEFORE writing any Parquet file, writes one file per date, then commits the range (files +
// cursor) with a second manifest write. A run that crashes in between leaves the claim behind;
// the next run re-reads exactly that range and writes the same object names again, so a file
// is never duplicated, never orphaned under another name, and never dropped. Every manifest
// write is conditional on the ETag read, so two runs at once cannot both commit.

export const STREAMS = ["events", "rejects"] as const;
export type Stream = (typeof STREAMS)[number];

export interface ExportFile {
  /** events/dt=YYYY-MM-DD/part-<first seq>-<last seq>.parquet (seqs zero-padded, so names sort) */
  key: string;
  dt: string;
  rows: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
}

export interface SeqRange {
  /** exclusive */
  after: number;
  /** inclusive */
  through: number;
}

export interface StreamLedger {
  /** every row with seq ≤ cursor is in `files`; none above it is */
  cursor: number;
  /** a claimed range whose files may be half-written; re-done before anything else */
  pending: SeqRange | null;
  files: ExportFile[];
}

export type ExportManifest = { version: 2; updated_at: string } & Record<Stream, StreamLedger>;

export const EXPORT_MANIFEST_KEY = "export/manifest.json";

export function emptyExportManifest(): ExportManifest {
  const empty = (): StreamLedger => ({ cursor: 0, pending: null, files: [] });
  return { version: 2, updated_at: new Date(0).toISOString(), events: empty(), rejects: empty() };
}

const SEQ_DIGITS = 12;
const pad = (n: number) => String(n).padStart(SEQ_DIGITS, "0");

export function partKeyFor(stream: Stream, dt: string, firstSeq: number, lastSeq: number): string {
  return `${stream}/dt=${dt}/part-${pad(firstSeq)}-${pad(lastSeq)}.parquet`;
}

// The only objects the download route serves: parts (and the raw NDJSON beside them), by shape,
// so no key outside the two prefixes — nor any "..", "%2F" or empty segment — ever reaches R2.
const EXPORT_KEY = /^(events|rejects)\/dt=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9_-]{1,100}\.(parquet|ndjson)$/;

export function isExportKey(key: string): boolean {
  return EXPORT_KEY.test(key);
}

/** The UTC date of an ISO time: the dt= partition of a row. */
export function utcDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 time: ${iso}`);
  return new Date(ms).toISOString().slice(0, 10);
}

export interface DateGroup<R> {
  dt: string;
  first_seq: number;
  last_seq: number;
  rows: R[];
}

/** Rows (in seq order) split by received_at's UTC date, dates ascending, seq order kept within each. */
export function groupByDate<R extends { seq: number; received_at: string }>(rows: readonly R[]): DateGroup<R>[] {
  const groups = new Map<string, DateGroup<R>>();
  for (const row of rows) {
    const dt = utcDate(row.received_at);
    const g = groups.get(dt);
    if (g) {
      g.rows.push(row);
      g.last_seq = row.seq;
    } else {
      groups.set(dt, { dt, first_seq: row.seq, last_seq: row.seq, rows: [row] });
    }
  }
  return [...groups.values()].sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
}

/** The manifest with `range` claimed for the stream; the input is not changed. */
export function claimRange(m: ExportManifest, stream: Stream, range: SeqRange, at: string): ExportManifest {
  const s = m[stream];
  if (s.pending) throw new Error(`${stream}: range ${s.pending.after}–${s.pending.through} is still pending`);
  if (range.after !== s.cursor || range.through <= range.after) {
    throw new Error(`${stream}: cannot claim ${range.after}–${range.through} at cursor ${s.cursor}`);
  }
  return { ...m, [stream]: { ...s, pending: range }, updated_at: at };
}

/**
 * The manifest with the pending range's files listed and the cursor moved to its end. A file
 * already listed under the same key (a re-run after a lost commit) is replaced, not repeated.
 */
export function commitRange(m: ExportManifest, stream: Stream, files: readonly ExportFile[], at: string): ExportManifest {
  const s = m[stream];
  if (!s.pending) throw new Error(`${stream}: nothing pending to commit`);
  const added = new Set(files.map((f) => f.key));
  return {
    ...m,
    [stream]: { cursor: s.pending.through, pending: null, files: [...s.files.filter((f) => !added.has(f.key)), ...files] },
    updated_at: at,
  };
}

const isLedger = (v: unknown): v is StreamLedger =>
  typeof v === "object" && v !== null && Number.isSafeInteger((v as StreamLedger).cursor) && Array.isArray((v as StreamLedger).files);

/** The stored manifest, checked; a manifest this code cannot read stops the export instead of restarting it from 0. */
export function parseExportManifest(text: string): ExportManifest {
  const v = JSON.parse(text) as Partial<ExportManifest>;
  if (v.version !== 2 || !STREAMS.every((s) => isLedger(v[s]))) {
    throw new Error(`${EXPORT_MANIFEST_KEY} is not a version 2 export manifest; move it aside to re-export from the start`);
  }
  return v as ExportManifest;
}

/** Rows across a stream's files: what a full warehouse load should count. */
export function ledgerRows(ledger: StreamLedger): number {
  return ledger.files.reduce((n, f) => n + f.rows, 0);
}
