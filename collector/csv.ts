import { csvParseRows } from "d3-dsv";

/**
 * CSV text → the header (trimmed, lower-cased) and one record per non-empty row, values
 * trimmed. csvParseRows, not csvParse: the latter compiles its row converter with
 * `new Function`, which Workers refuse.
 */
export function csvRecords(text: string): { columns: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = csvParseRows(text.replace(/^\uFEFF/, ""));
  const columns = header.map((h) => h.trim().toLowerCase());
  const records = rows
    .filter((cells) => cells.some((c) => c.trim() !== ""))
    .map((cells) => Object.fromEntries(columns.map((k, i) => [k, (cells[i] ?? "").trim()])));
  return { columns, records };
}
