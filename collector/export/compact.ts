import { EXPORT_COLUMNS, type ColumnType, type ExportRow } from "./columns";
import { eventsToParquet } from "./parquet";

// Recovery path (the scheduled export is run.ts, from the D1 log): one date partition's raw
// NDJSON → one Parquet file. Deterministic: the same raw files give
// the same rows in the same order and the same bytes, whatever was compacted before.

export interface InvalidLine {
  /** index of the raw text in the input */
  source: number;
  /** 1-based line number within it */
  line: number;
  reason: string;
}

export interface CompactedPartition {
  parquet: ArrayBuffer;
  rows: number;
  /** lines dropped because an earlier line had the same message_id */
  duplicates: number;
  /** lines that are not an event row; not written, for the caller to park and log */
  invalid: InvalidLine[];
  /** null when the partition has no rows */
  min_received_at: string | null;
  max_received_at: string | null;
}

const TYPE_CHECK: Record<ColumnType, (v: unknown) => boolean> = {
  STRING: (v) => typeof v === "string",
  INT64: (v) => Number.isSafeInteger(v),
  BOOLEAN: (v) => typeof v === "boolean",
  DOUBLE: (v) => typeof v === "number" && Number.isFinite(v),
  TIMESTAMP: (v) => typeof v === "string" && !Number.isNaN(Date.parse(v)),
  JSON: (v) => typeof v === "string",
};

/**
 * The parsed line as a row, or why it is not one. Checked in place, not copied (a copy of each
 * row is garbage the collector then has to clear): the writer reads only the export columns, so
 * unknown fields are ignored and a column missing from an older row is written as null.
 */
function toExportRow(value: unknown): ExportRow | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const row = value as Record<string, unknown>;
  for (const c of EXPORT_COLUMNS) {
    const v = row[c.name];
    if (v === null || v === undefined) {
      if (!c.nullable) return `missing ${c.name}`;
    } else if (!TYPE_CHECK[c.type](v)) {
      return `${c.name} is not ${c.type}`;
    }
  }
  return row as unknown as ExportRow;
}

/** Earlier received first; the same instant ordered by message_id so ties are stable. */
function byReceivedThenId(a: Keyed, b: Keyed): number {
  if (a.at !== b.at) return a.at - b.at;
  return a.row.message_id < b.row.message_id ? -1 : a.row.message_id > b.row.message_id ? 1 : 0;
}

interface Keyed {
  at: number;
  row: ExportRow;
}

/**
 * Parses every line of every raw file, keeps the first row of each message_id, sorts by
 * received_at then message_id and writes one Parquet file. Pass the raw files in a fixed order
 * (planCompaction's `sources`) so "first" means the same row on every run.
 */
export function compactPartition(rawNdjsonTexts: readonly string[]): CompactedPartition {
  const seen = new Map<string, Keyed>();
  const invalid: InvalidLine[] = [];
  let duplicates = 0;
  rawNdjsonTexts.forEach((text, source) => {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "") continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        invalid.push({ source, line: i + 1, reason: "not JSON" });
        continue;
      }
      const row = toExportRow(parsed);
      if (typeof row === "string") {
        invalid.push({ source, line: i + 1, reason: row });
        continue;
      }
      if (seen.has(row.message_id)) duplicates++;
      else seen.set(row.message_id, { at: Date.parse(row.received_at), row });
    }
  });
  const sorted = [...seen.values()].sort(byReceivedThenId);
  const rows = sorted.map((k) => k.row);
  return {
    parquet: eventsToParquet(rows),
    rows: rows.length,
    duplicates,
    invalid,
    min_received_at: sorted.length ? new Date(sorted[0]!.at).toISOString() : null,
    max_received_at: sorted.length ? new Date(sorted[sorted.length - 1]!.at).toISOString() : null,
  };
}
