import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource, SchemaElement } from "hyparquet-writer";
import { EXPORT_COLUMNS, type ColumnType, type ExportRow } from "./columns";

// Events → one Parquet file, in pure JS (hyparquet-writer, MIT): runs inside a Worker with no
// Node built-ins (its package's "browser" export, which wrangler's and the vitest plugin's
// resolve conditions pick; the "default" one adds fs helpers). Pages are Snappy-compressed by
// the library's own JS Snappy encoder.

/** DuckDB writes 122,880-row groups; 100k keeps a group of wide rows a few MB and scans parallel. */
export const ROW_GROUP_ROWS = 100_000;

/** Written into the file's key/value metadata so a reader can tell schema versions apart. */
export const SCHEMA_VERSION = "foothold.events.v1";

/** What the writer needs to know of a column; the events table and the rejects table both fit. */
export interface ParquetColumn<R> {
  name: keyof R & string;
  type: ColumnType;
  /** false: REQUIRED in Parquet (NOT NULL in the warehouse) */
  nullable: boolean;
}

function schemaElement<R>(c: ParquetColumn<R>): SchemaElement {
  const repetition_type = c.nullable ? "OPTIONAL" : "REQUIRED";
  switch (c.type) {
    case "STRING":
      return { name: c.name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type };
    case "JSON":
      return { name: c.name, type: "BYTE_ARRAY", converted_type: "JSON", logical_type: { type: "JSON" }, repetition_type };
    case "TIMESTAMP":
      // Both annotations: the legacy one for older readers, the logical one says "instant in UTC".
      return {
        name: c.name,
        type: "INT64",
        converted_type: "TIMESTAMP_MILLIS",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" },
        repetition_type,
      };
    case "INT64":
      return { name: c.name, type: "INT64", repetition_type };
    case "BOOLEAN":
      return { name: c.name, type: "BOOLEAN", repetition_type };
    case "DOUBLE":
      return { name: c.name, type: "DOUBLE", repetition_type };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source); // no /g: .test() keeps no state
// JSON.stringify escapes only lone surrogates (pairs stay raw), so this is rare text.
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

/** A copy with lone surrogates (in keys too) as U+FFFD; null-prototype objects keep "__proto__" keys. */
function wellFormed(v: unknown): unknown {
  if (typeof v === "string") return v.replace(LONE_SURROGATE, "\uFFFD");
  if (Array.isArray(v)) return v.map(wellFormed);
  if (typeof v !== "object" || v === null) return v;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) out[k.replace(LONE_SURROGATE, "\uFFFD")] = wellFormed(x);
  return out;
}

/**
 * The library writes a JSON column as JSON.stringify(toJson(value)), and toJson rebuilds plain
 * objects key by key — a "__proto__" key would become a prototype and vanish. A null-prototype
 * box is passed through as is, and JSON.stringify serialises whatever its toJSON returns.
 */
function jsonBox(text: string): object {
  const box = Object.create(null) as { toJSON: () => unknown };
  box.toJSON = () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Never lose a row over bad JSON: keep the text, as a JSON string.
      value = text;
    }
    // DuckDB refuses a whole file whose JSON holds an escaped lone surrogate ("\udc00").
    return ESCAPED_SURROGATE.test(text) || HAS_LONE_SURROGATE.test(text) ? wellFormed(value) : value;
  };
  return box;
}

type Cell = string | number | bigint | boolean | object | null;

function toCell(type: ColumnType, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "TIMESTAMP": {
      const ms = Date.parse(String(value));
      if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 time: ${String(value)}`);
      return ms;
    }
    case "INT64":
      return BigInt(value as number);
    case "JSON":
      return jsonBox(typeof value === "string" ? value : JSON.stringify(value));
    default:
      return value as string | number | boolean;
  }
}

/** Writes rows in the order given; throws if a NOT NULL column is missing or a time is unparsable. */
export function eventsToParquet(rows: readonly ExportRow[]): ArrayBuffer {
  return rowsToParquet(EXPORT_COLUMNS, rows, SCHEMA_VERSION);
}

/** Any table: one Parquet column per entry of `columns`, in that order; the first column names a bad row. */
export function rowsToParquet<R>(columns: readonly ParquetColumn<R>[], rows: readonly R[], schemaVersion: string): ArrayBuffer {
  const columnData: ColumnSource[] = columns.map((c) => {
    const data = new Array<Cell>(rows.length);
    for (let i = 0; i < rows.length; i++) data[i] = toCell(c.type, rows[i]![c.name]);
    if (!c.nullable) {
      const missing = data.indexOf(null);
      if (missing !== -1) throw new Error(`row ${missing} (${String(rows[missing]![columns[0]!.name])}) has no ${c.name}`);
    }
    // Min/max of a JSON document prunes nothing; skip the work.
    return { name: c.name, data, statistics: c.type !== "JSON" };
  });
  return parquetWriteBuffer({
    columnData,
    schema: [{ name: "root", num_children: columns.length }, ...columns.map(schemaElement)],
    codec: "SNAPPY",
    rowGroupSize: ROW_GROUP_ROWS,
    kvMetadata: [{ key: "foothold.schema", value: schemaVersion }],
    createdBy: "foothold",
  });
}
