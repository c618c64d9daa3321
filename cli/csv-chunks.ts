// Splits a CSV import into requests the collector accepts (≤ 10,000 rows, ≤ 2 MB each), every
// chunk with the header row, and maps the collector's per-request row numbers back to the file.
import { csvFormatRows, csvParseRows } from "d3-dsv";

export interface CsvChunk {
  /** the chunk as CSV text, header first */
  csv: string;
  /** 0-based index of the chunk's first data row in the whole file */
  offset: number;
  rows: number;
}

export interface ChunkedCsv {
  header: string[];
  /** every data row, for naming refused rows in the summary */
  rows: string[][];
  chunks: CsvChunk[];
}

/** Chunks of at most `maxRows` data rows and roughly `maxBytes` of text; blank lines are skipped. */
export function chunkCsv(text: string, maxRows: number, maxBytes = 1_500_000): ChunkedCsv {
  const all = csvParseRows(text.replace(/^\uFEFF/, ""));
  const [header = [], ...body] = all;
  const rows = body.filter((r) => r.some((cell) => cell.trim() !== ""));
  const chunks: CsvChunk[] = [];
  let start = 0;
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length && end - start < maxRows) {
      const size = csvFormatRows([rows[end]]).length + 1;
      if (end > start && bytes + size > maxBytes) break;
      bytes += size;
      end++;
    }
    chunks.push({ csv: csvFormatRows([header, ...rows.slice(start, end)]), offset: start, rows: end - start });
    start = end;
  }
  return { header, rows, chunks };
}

/** "row 3 (domain: not a domain)": the row's 1-based number in the file and its first cell, to find it. */
export function nameRow(file: ChunkedCsv, row: number): string {
  const cells = file.rows[row - 1];
  const first = cells?.[0]?.trim();
  return first ? `row ${row} (${file.header[0] ?? "first column"}: ${first})` : `row ${row}`;
}
