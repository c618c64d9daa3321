import { archivedEvents, archivedRejects, type Sequenced } from "../storage/archive-read";
import { putParquet, readExportManifest, writeExportManifest } from "../storage/export";
import {
  claimRange,
  commitRange,
  emptyExportManifest,
  groupByDate,
  partKeyFor,
  STREAMS,
  type ExportFile,
  type ExportManifest,
  type SeqRange,
  type Stream,
} from "./ledger";
import type { RejectedEvent } from "../events";
import { exportFilter, type ExportFilter } from "../privacy/export-filter";
import type { ExportRow } from "./columns";
import { REJECT_COLUMNS, REJECTS_SCHEMA_VERSION } from "./reject-columns";
import { eventsToParquet, rowsToParquet } from "./parquet";

// The scheduled warehouse export: archived NDJSON (R2, by seq) → Parquet parts in R2 → manifest (see ledger.ts for
// why this is crash-safe). Failure policy: any error stops the run and leaves the claim pending
// for the next one; a row the writer refuses stops the export at that range instead of skipping it.

export interface ExportStore {
  DB: D1Database;
  ARCHIVE: R2Bucket;
}

export interface ExportOptions {
  /** rows per step; a Worker (128 MB) writes a few tens of thousands per Parquet call */
  partRows?: number;
  /** stop starting new steps after this long */
  maxMs?: number;
  /** the clock, for the budget and the manifest's updated_at */
  now?: () => Date;
}

export interface StreamReport {
  files_written: number;
  rows_written: number;
  cursor: number;
  caught_up: boolean;
}

export interface ExportReport {
  events: StreamReport;
  rejects: StreamReport;
  /** another run changed the manifest first; this one stopped without committing */
  lost_race: boolean;
  ms: number;
}

export const DEFAULT_PART_ROWS = 10_000;
export const DEFAULT_MAX_MS = 20_000;

type Row = Sequenced<{ received_at: string }>;

/** How one stream is read from the archive and written as Parquet. */
interface StreamIO<R extends Row> {
  read(after: number, through: number | null, limit: number): Promise<R[]>;
  write(rows: R[]): ArrayBuffer;
  /** false for rows of a person being erased (privacy/export-filter.ts) */
  keep(row: R): boolean;
}

// `seq` rides along on each row but is not a column, so the writers never see it.
const eventsIO = (store: ExportStore, filter: ExportFilter): StreamIO<Sequenced<ExportRow>> => ({
  read: (after, through, limit) => archivedEvents(store, after, through, limit),
  write: (rows) => eventsToParquet(rows),
  keep: filter.event,
});
const rejectsIO = (store: ExportStore, filter: ExportFilter): StreamIO<Sequenced<RejectedEvent>> => ({
  read: (after, through, limit) => archivedRejects(store, after, through, limit),
  write: (rows) => rowsToParquet(REJECT_COLUMNS, rows, REJECTS_SCHEMA_VERSION),
  keep: filter.reject,
});

interface State {
  manifest: ExportManifest;
  etag: string | null;
}

type StepResult = { kind: "wrote"; files: ExportFile[]; rows: number } | { kind: "caught_up" } | { kind: "lost_race" };

/** One seq range of one stream: claim (or resume) it, write a part per date, commit it. */
async function step<R extends Row>(
  store: ExportStore, io: StreamIO<R>, stream: Stream, state: State, partRows: number, now: () => Date,
): Promise<StepResult> {
  const ledger = state.manifest[stream];
  let range: SeqRange | null = ledger.pending;
  let rows: R[];
  if (range) {
    // A crashed or lost run's claim: exactly the same rows, so exactly the same object names.
    rows = await io.read(range.after, range.through, Number.MAX_SAFE_INTEGER);
  } else {
    rows = await io.read(ledger.cursor, null, partRows);
    if (rows.length === 0) return { kind: "caught_up" };
    range = { after: ledger.cursor, through: rows[rows.length - 1]!.seq };
    const claimed = claimRange(state.manifest, stream, range, now().toISOString());
    const etag = await writeExportManifest(store.ARCHIVE, claimed, state.etag);
    if (etag === null) return { kind: "lost_race" };
    state.manifest = claimed;
    state.etag = etag;
  }

  const files: ExportFile[] = [];
  for (const group of groupByDate(rows)) {
    // The part keeps the name of the rows read, whatever the filter leaves out of it.
    const kept = group.rows.filter((r) => io.keep(r));
    if (kept.length === 0) continue;
    const bytes = io.write(kept);
    const key = partKeyFor(stream, group.dt, group.first_seq, group.last_seq);
    await putParquet(store.ARCHIVE, key, bytes);
    files.push({ key, dt: group.dt, rows: kept.length, bytes: bytes.byteLength, first_seq: group.first_seq, last_seq: group.last_seq });
  }

  const committed = commitRange(state.manifest, stream, files, now().toISOString());
  const etag = await writeExportManifest(store.ARCHIVE, committed, state.etag);
  if (etag === null) return { kind: "lost_race" };
  state.manifest = committed;
  state.etag = etag;
  return { kind: "wrote", files, rows: rows.length };
}

/** Exports both streams until caught up or out of time; safe to call at any time, from anywhere, twice at once. */
export async function runExport(store: ExportStore, opts: ExportOptions = {}): Promise<ExportReport> {
  const partRows = opts.partRows ?? DEFAULT_PART_ROWS;
  const maxMs = opts.maxMs ?? DEFAULT_MAX_MS;
  const now = opts.now ?? (() => new Date());
  const elapsed = ((t0) => () => now().getTime() - t0)(now().getTime());

  const stored = await readExportManifest(store.ARCHIVE);
  // Read after the manifest: an erasure that began later makes this run's next manifest write fail.
  const filter = await exportFilter(store.DB);
  const state: State = { manifest: stored.manifest ?? emptyExportManifest(), etag: stored.etag };
  const report = (s: Stream): StreamReport => ({ files_written: 0, rows_written: 0, cursor: state.manifest[s].cursor, caught_up: false });
  const out: ExportReport = { events: report("events"), rejects: report("rejects"), lost_race: false, ms: 0 };

  for (const stream of STREAMS) {
    while (elapsed() < maxMs) {
      const r =
        stream === "events"
          ? await step(store, eventsIO(store, filter), stream, state, partRows, now)
          : await step(store, rejectsIO(store, filter), stream, state, partRows, now);
      if (r.kind === "lost_race") {
        out.lost_race = true;
        break;
      }
      if (r.kind === "caught_up") {
        out[stream].caught_up = true;
        break;
      }
      out[stream].files_written += r.files.length;
      out[stream].rows_written += r.rows;
    }
    out[stream].cursor = state.manifest[stream].cursor;
    if (out.lost_race) break;
  }
  out.ms = elapsed();
  return out;
}
