import { describe, expect, it } from "vitest";
import { chunkRecords, missingColumns, nameRow, readCsv, splitList } from "../../../cli/csv-chunks";

const CSV = ["\uFEFFDomain, Name ,segment", "acme.com,Acme,target", "", "globex.com,\"Globex, Inc.\",target", "initech.com,Initech,customer", "umbrella.com,\"Umbrella\nCorp\",target", "hooli.com,Hooli"].join("\n");

describe("CSV imports", () => {
  it("reads rows as objects keyed by the lower-cased header, skipping blank lines", () => {
    const file = readCsv(CSV);
    expect(file.header).toEqual(["domain", "name", "segment"]);
    // 5 data rows: the blank line is not one; a quoted comma and newline stay in their cell.
    expect(file.records).toHaveLength(5);
    expect(file.records[1]).toEqual({ domain: "globex.com", name: "Globex, Inc.", segment: "target" });
    expect(file.records[3].name).toBe("Umbrella\nCorp");
    // A short row gets empty cells, not undefined.
    expect(file.records[4]).toEqual({ domain: "hooli.com", name: "Hooli", segment: "" });
    expect(missingColumns(file, ["domain", "crm_id"])).toEqual(["crm_id"]);
  });

  it("splits rows into chunks by count and by size, remembering each chunk's offset", () => {
    const records = readCsv(CSV).records;
    expect(chunkRecords(records, 2).map((c) => [c.offset, c.records.length])).toEqual([[0, 2], [2, 2], [4, 1]]);
    // {"d":"a.com"} is 13 bytes + 1 separator = 14; with the 2 bytes of [] a 31-byte budget holds two (30), not three (44).
    const small = ["a.com", "b.com", "c.com", "d.com", "e.com"].map((d) => ({ d }));
    expect(chunkRecords(small, 100, 31).map((c) => c.records.length)).toEqual([2, 2, 1]);
  });

  it("names a refused row by its number under the header and its first cell", () => {
    const file = readCsv(CSV);
    expect(nameRow(file, 3)).toBe("row 3 (domain: initech.com)");
    expect(nameRow(file, 9)).toBe("row 9");
  });

  it("reads list cells separated by semicolons", () => {
    expect(splitList("acme.co.uk; acme.io;")).toEqual(["acme.co.uk", "acme.io"]);
    expect(splitList("")).toEqual([]);
  });
});
