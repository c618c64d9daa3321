// CSV imports are parsed here, on the operator's machine: to check the columns before anything
// is sent, to split the rows into requests the collector accepts (≤ 10,000 rows, ≤ 2 MB each),
// and to map the collector's per-request row numbers back to rows of the file.
import { csvParseRows } from "d3-dsv";

export interface CsvFile {
  /** column names, trimmed and lower-cased */
  header: string[];
  /** one object per non-blank data row, keyed by the header, values trimmed */
  records: Record<string, string>[];
}

export interface RecordChunk<T> {
  /** 0-based index of the chunk's first row in the file */
  offset: number;
  records: T[];
}

export function readCsv(text: string): CsvFile {
  const [head = [], ...body] = csvParseRows(text.replace(/^\uFEFF/, ""));
  const header = head.map((c) => c.trim().toLowerCase());
  const records = body
    .filter((cells) => cells.some((cell) => cell.trim() !== ""))
    .map((cells) => Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? "").trim()])));
  return { header, records };
}

export const missingColumns = (file: CsvFile, required: readonly string[]) => required.filter((c) => !file.header.includes(c));

/** Chunks of at most `maxRows` rows and roughly `maxBytes` of JSON. */
export function chunkRecords<T>(records: readonly T[], maxRows: number, maxBytes = 1_500_000): RecordChunk<T>[] {
  const chunks: RecordChunk<T>[] = [];
  let start = 0;
  while (start < records.length) {
    let end = start;
    let bytes = 2;
    while (end < records.length && end - start < maxRows) {
      const size = JSON.stringify(records[end]).length + 1;
      if (end > start && bytes + size > maxBytes) break;
      bytes += size;
      end++;
    }
    chunks.push({ offset: start, records: records.slice(start, end) });
    start = end;
  }
  return chunks;
}

/** "row 3 (domain: initech.com)": the row's 1-based number under the header and its first cell, to find it. */
export function nameRow(file: CsvFile, row: number): string {
  const first = file.header[0];
  const value = first === undefined ? undefined : file.records[row - 1]?.[first];
  return value ? `row ${row} (${first}: ${value})` : `row ${row}`;
}

/** "a.com; b.com" → ["a.com", "b.com"]: the CSV form of a list column. */
export const splitList = (cell: string | undefined): string[] => (cell ?? "").split(";").map((s) => s.trim()).filter(Boolean);
