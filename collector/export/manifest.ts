// NOT the scheduled export's manifest: that is ledger.ts (compaction from the D1 log by seq).
// This is the plan for rebuilding Parquet from the raw NDJSON archive alone (raw/dt=…/), kept
// for recovery when the D1 log is gone: which files make up each date and which raw files they
// came from.
//
// Idempotency: a partition is always rewritten from ALL its raw files (deduped by message_id),
// so its Parquet file is a pure function of the raw archive, and an R2 put replaces an object
// whole. The Parquet object is written first and the manifest last: a crash in between leaves
// the new file under the old manifest entry, whose raw keys still show as pending, so the next
// run compacts the date again. Re-running, or running after a crash, never duplicates or drops.

export interface ManifestFile {
  /** object key, events/dt=YYYY-MM-DD/part-<n>.parquet */
  key: string;
  rows: number;
  bytes: number;
  min_received_at: string;
  max_received_at: string;
  /** raw keys compacted into this partition (the same list on every file of the partition) */
  sources: string[];
}

export interface Manifest {
  version: 1;
  partitions: { [dt: string]: { files: ManifestFile[] } };
  updated_at: string;
}

export const MANIFEST_KEY = "events/manifest.json";

export function emptyManifest(): Manifest {
  return { version: 1, partitions: {}, updated_at: new Date(0).toISOString() };
}

const RAW_KEY = /^raw\/dt=(\d{4}-\d{2}-\d{2})\/[^/]+\.ndjson$/;

/** "raw/dt=2026-03-01/ab12.ndjson" → "2026-03-01"; null for anything else under the bucket. */
export function rawKeyDate(key: string): string | null {
  return RAW_KEY.exec(key)?.[1] ?? null;
}

export function partKey(dt: string, n: number): string {
  return `events/dt=${dt}/part-${n}.parquet`;
}

export interface CompactionPlan {
  dt: string;
  /** every raw file of the date, sorted: what the compaction reads */
  sources: string[];
  /** the raw files not yet in the manifest: why the date is planned */
  pending: string[];
  /**
   * Raw files the manifest says were compacted but that are no longer listed (expired or
   * deleted). Rewriting from `sources` alone would drop their rows: do not compact such a date.
   */
  missing: string[];
}

/** Dates with raw files not yet compacted, oldest date first. Pure: the caller lists R2. */
export function planCompaction(rawKeys: readonly string[], manifest: Manifest): CompactionPlan[] {
  const byDate = new Map<string, string[]>();
  for (const key of rawKeys) {
    const dt = rawKeyDate(key);
    if (dt === null) continue;
    const keys = byDate.get(dt);
    if (keys) keys.push(key);
    else byDate.set(dt, [key]);
  }
  const plans: CompactionPlan[] = [];
  for (const dt of [...byDate.keys()].sort()) {
    const sources = [...new Set(byDate.get(dt))].sort();
    const done = new Set(manifest.partitions[dt]?.files.flatMap((f) => f.sources) ?? []);
    const pending = sources.filter((k) => !done.has(k));
    if (pending.length === 0) continue;
    const listed = new Set(sources);
    const missing = [...done].filter((k) => !listed.has(k)).sort();
    plans.push({ dt, sources, pending, missing });
  }
  return plans;
}

/** A new manifest with the date's files replaced; the input is not changed. */
export function withPartition(manifest: Manifest, dt: string, files: ManifestFile[], updatedAt: string): Manifest {
  return {
    version: 1,
    partitions: { ...manifest.partitions, [dt]: { files } },
    updated_at: updatedAt,
  };
}

/** Files the previous manifest listed for the date that the new one no longer does: delete them after the manifest is written. */
export function staleKeys(previous: Manifest, dt: string, files: readonly ManifestFile[]): string[] {
  const kept = new Set(files.map((f) => f.key));
  return (previous.partitions[dt]?.files ?? []).map((f) => f.key).filter((k) => !kept.has(k));
}

/** Rows across the manifest: what a full warehouse load should count. */
export function manifestRows(manifest: Manifest): number {
  let rows = 0;
  for (const p of Object.values(manifest.partitions)) for (const f of p.files) rows += f.rows;
  return rows;
}
