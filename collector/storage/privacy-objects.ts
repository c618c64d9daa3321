// The R2 side of an erasure: the bucket's day folders, one folder's objects a page at a time,
// rewrites that only land on the version read (an R2 put is atomic: a reader sees the old object
// or the new one, never half), the ledger rows of rewritten NDJSON objects and the manifest
// entries of rewritten Parquet files (conditional writes, re-read on a conflict).
import { emptyExportManifest, type ExportManifest, type Stream as ExportStream } from "../export/ledger";
import { keyOf, ledgerDeletes, ledgerSetRows, type LedgerRow, type Stream } from "./archive";
import { readExportManifest, writeExportManifest } from "./export";

/** The folders an erasure scans, one task per day folder; dead letters are one folder of their own. */
export const TOP_FOLDERS = ["raw/", "rejects/", "events/"] as const;
export const DEAD_FOLDER = "dead/";

/** `raw/dt=2026-11-20/` … for every day that has any object, in key order. */
export async function dayFolders(bucket: R2Bucket, top: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: top, delimiter: "/", cursor, limit: 1000 });
    out.push(...page.delimitedPrefixes);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

export interface Listed {
  key: string;
  size: number;
  uploaded: Date;
}

/** Up to `limit` objects of a folder after `startAfter` (a key: survives any delay, unlike a list cursor). */
export async function folderPage(bucket: R2Bucket, prefix: string, startAfter: string | null, limit: number): Promise<{ objects: Listed[]; more: boolean }> {
  const page = await bucket.list({ prefix, startAfter: startAfter ?? undefined, limit });
  return { objects: page.objects.map((o) => ({ key: o.key, size: o.size, uploaded: o.uploaded })), more: page.truncated };
}

export async function readText(bucket: R2Bucket, key: string): Promise<{ text: string; etag: string } | null> {
  const obj = await bucket.get(key);
  return obj ? { text: await obj.text(), etag: obj.etag } : null;
}

export async function readBytes(bucket: R2Bucket, key: string): Promise<{ bytes: ArrayBuffer; etag: string } | null> {
  const obj = await bucket.get(key);
  return obj ? { bytes: await obj.arrayBuffer(), etag: obj.etag } : null;
}

/** Puts `body` at `key` only if the object is still the version read; false when it changed or went. */
export async function replaceObject(bucket: R2Bucket, key: string, etag: string, body: string | ArrayBuffer, contentType: string): Promise<boolean> {
  const written = await bucket.put(key, body, { httpMetadata: { contentType }, onlyIf: { etagMatches: etag } });
  return written !== null;
}

export async function deleteObjects(bucket: R2Bucket, keys: readonly string[]): Promise<void> {
  if (keys.length) await bucket.delete([...keys]);
}

const ARCHIVE_KEY = /^(raw|rejects)\/dt=(\d{4}-\d{2}-\d{2})\/(\d{12})\.ndjson$/;
const PART_KEY = /^(events|rejects)\/dt=(\d{4}-\d{2}-\d{2})\/part-(\d{12})-(\d{12})\.parquet$/;

/** A raw or rejects NDJSON object's ledger identity, from its key. */
export function archiveRef(key: string): { stream: Stream; dt: string; first_seq: number } | null {
  const m = ARCHIVE_KEY.exec(key);
  return m ? { stream: m[1] as Stream, dt: m[2], first_seq: Number(m[3]) } : null;
}

/** A Parquet part's stream and seq range, from its key. */
export function partRef(key: string): { stream: ExportStream; first_seq: number; last_seq: number } | null {
  const m = PART_KEY.exec(key);
  return m ? { stream: m[1] as ExportStream, first_seq: Number(m[3]), last_seq: Number(m[4]) } : null;
}

/** The ledger rows of these objects (by key); an object missing here is not listed. */
export async function ledgerRowsOf(d1: D1Database, keys: readonly string[]): Promise<Map<string, LedgerRow>> {
  const refs = keys.map(archiveRef).filter((r) => r !== null);
  if (refs.length === 0) return new Map();
  const { results } = await d1
    .prepare(
      `SELECT a.stream, a.first_seq, a.last_seq, a.dt, a.rows, a.max_ts, a.at FROM archive_objects a JOIN json_each(?1) j
       ON a.stream = j.value ->> 'stream' AND a.first_seq = j.value ->> 'first_seq'`,
    )
    .bind(JSON.stringify(refs.map((r) => ({ stream: r.stream, first_seq: r.first_seq }))))
    .all<LedgerRow>();
  return new Map(results.map((r) => [keyOf(r), r]));
}

export async function setLedgerRows(d1: D1Database, fixes: readonly { row: LedgerRow; rows: number }[]): Promise<void> {
  if (fixes.length) await d1.batch(fixes.map((f) => ledgerSetRows(d1, f.row, f.rows)));
}

/** Unlists an object before it is deleted: one listed but gone would stop the export. */
export async function unlist(d1: D1Database, row: LedgerRow): Promise<void> {
  await d1.batch(ledgerDeletes(d1, [row]));
}

/** A manifest entry after a rewrite: its new rows and bytes, or gone (no rows left). */
export type FileChange = { key: string; rows: number; bytes: number } | { key: string; gone: true };

/** Manifest entries by key, for the streams' listed Parquet files. */
export async function manifestFiles(bucket: R2Bucket): Promise<{ files: Map<string, { rows: number; bytes: number }>; cursor: Record<ExportStream, number> }> {
  const { manifest } = await readExportManifest(bucket);
  const files = new Map<string, { rows: number; bytes: number }>();
  for (const s of ["events", "rejects"] as const) for (const f of manifest?.[s].files ?? []) files.set(f.key, { rows: f.rows, bytes: f.bytes });
  return { files, cursor: { events: manifest?.events.cursor ?? 0, rejects: manifest?.rejects.cursor ?? 0 } };
}

const MANIFEST_TRIES = 10;

/**
 * Applies the changes to the manifest with a conditional write, re-reading it when an export run
 * (or another erasure task) wrote it first; entries no longer listed are left alone.
 */
export async function updateManifestFiles(bucket: R2Bucket, changes: readonly FileChange[], now: string): Promise<void> {
  if (changes.length === 0) return;
  const byKey = new Map(changes.map((c) => [c.key, c]));
  for (let i = 0; i < MANIFEST_TRIES; i++) {
    const { manifest, etag } = await readExportManifest(bucket);
    if (!manifest) return;
    const next = { ...manifest, updated_at: now };
    for (const s of ["events", "rejects"] as const) {
      next[s] = {
        ...manifest[s],
        files: manifest[s].files.flatMap((f) => {
          const c = byKey.get(f.key);
          if (!c) return [f];
          return "gone" in c ? [] : [{ ...f, rows: c.rows, bytes: c.bytes }];
        }),
      };
    }
    if ((await writeExportManifest(bucket, next, etag)) !== null) return;
  }
  throw new Error(`the export manifest kept changing; ${changes.length} file entries are applied on the next try`);
}

/**
 * Rewrites the manifest as it is (a new ETag): an export run that read it before this cannot
 * commit any more, so every part committed from now on was written by a run that started after
 * the erasure's identifiers were stored. With no manifest yet, an empty one is created.
 */
export async function touchManifest(bucket: R2Bucket, now: string): Promise<void> {
  for (let i = 0; i < MANIFEST_TRIES; i++) {
    const { manifest, etag } = await readExportManifest(bucket);
    const next: ExportManifest = manifest ? { ...manifest, updated_at: now } : emptyExportManifest();
    if ((await writeExportManifest(bucket, next, etag)) !== null) return;
  }
  throw new Error("the export manifest kept changing; the erasure's plan is retried");
}

/** Parquet parts under events/ and rejects/ that the manifest does not list, with the manifest's cursors. */
export async function unlistedParts(bucket: R2Bucket): Promise<{ parts: { key: string; stream: ExportStream; last_seq: number }[]; cursor: Record<ExportStream, number> }> {
  const { files, cursor: cursors } = await manifestFiles(bucket);
  const out: { key: string; stream: ExportStream; last_seq: number }[] = [];
  for (const top of ["events/", "rejects/"]) {
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ prefix: top, cursor, limit: 1000 });
      for (const o of page.objects) {
        const ref = partRef(o.key);
        if (ref && !files.has(o.key)) out.push({ key: o.key, stream: ref.stream, last_seq: ref.last_seq });
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  return { parts: out, cursor: cursors };
}
