import { describe, expect, it } from "vitest";
import { chunkCsv, nameRow } from "../../../cli/csv-chunks";

const CSV = ["domain,name,segment", "acme.com,Acme,target", "", "globex.com,\"Globex, Inc.\",target", "initech.com,Initech,customer", "umbrella.com,\"Umbrella\nCorp\",target", "hooli.com,Hooli,"].join("\n");

describe("chunkCsv", () => {
  it("splits rows into chunks that each start with the header, skipping blank lines", () => {
    const file = chunkCsv(CSV, 2);
    // 5 data rows (the blank line is not one) in chunks of 2: 2 + 2 + 1.
    expect(file.rows).toHaveLength(5);
    expect(file.chunks.map((c) => [c.offset, c.rows])).toEqual([[0, 2], [2, 2], [4, 1]]);
    expect(file.chunks[0].csv).toBe('domain,name,segment\nacme.com,Acme,target\nglobex.com,"Globex, Inc.",target');
    // A quoted newline stays inside its row, quoted again on the way out.
    expect(file.chunks[1].csv).toBe('domain,name,segment\ninitech.com,Initech,customer\numbrella.com,"Umbrella\nCorp",target');
    expect(file.chunks[2].csv).toBe("domain,name,segment\nhooli.com,Hooli,");
  });

  it("closes a chunk early when it would pass the byte budget", () => {
    // Each row "a.com\n" is 6 bytes: a 13-byte budget holds two rows (12), not three (18).
    const file = chunkCsv("domain\na.com\nb.com\nc.com\nd.com\ne.com", 100, 13);
    expect(file.chunks.map((c) => c.rows)).toEqual([2, 2, 1]);
  });

  it("names a refused row by its number in the file and its first cell", () => {
    const file = chunkCsv(CSV, 2);
    expect(nameRow(file, 3)).toBe("row 3 (domain: initech.com)");
    expect(nameRow(file, 9)).toBe("row 9");
  });
});
