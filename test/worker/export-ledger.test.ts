import { describe, expect, it } from "vitest";
import {
  claimRange,
  commitRange,
  emptyExportManifest,
  groupByDate,
  isExportKey,
  ledgerRows,
  parseExportManifest,
  partKeyFor,
} from "../../collector/export/ledger";
import { resolveByteRange } from "../../collector/export/byte-range";

// The manifest's pure rules, with answers worked out by hand.

const T = "2026-11-22T00:00:00.000Z";

describe("export ledger", () => {
  it("splits a seq range by received_at's UTC date, keeping seq order and each date's seq bounds", () => {
    const rows = [
      { seq: 7, received_at: "2026-11-20T23:59:59.999Z" },
      { seq: 8, received_at: "2026-11-21T00:00:00.000Z" },
      // +01:00 → 2026-11-20T23:30Z: the UTC date, not the local one
      { seq: 9, received_at: "2026-11-21T00:30:00.000+01:00" },
      { seq: 10, received_at: "2026-11-21T08:00:00.000Z" },
    ];
    expect(groupByDate(rows).map((g) => [g.dt, g.first_seq, g.last_seq, g.rows.map((r) => r.seq)])).toEqual([
      ["2026-11-20", 7, 9, [7, 9]],
      ["2026-11-21", 8, 10, [8, 10]],
    ]);
  });

  it("names parts by date and zero-padded seq range, so names sort in seq order", () => {
    expect(partKeyFor("events", "2026-11-20", 7, 1234)).toBe("events/dt=2026-11-20/part-000000000007-000000001234.parquet");
    expect(partKeyFor("rejects", "2026-11-20", 1, 2)).toBe("rejects/dt=2026-11-20/part-000000000001-000000000002.parquet");
  });

  it("claims a range at the cursor, then commits its files and moves the cursor to its end", () => {
    const claimed = claimRange(emptyExportManifest(), "events", { after: 0, through: 30 }, T);
    expect(claimed.events).toEqual({ cursor: 0, pending: { after: 0, through: 30 }, files: [] });
    expect(() => claimRange(claimed, "events", { after: 0, through: 40 }, T)).toThrow("still pending");
    expect(() => claimRange(emptyExportManifest(), "events", { after: 5, through: 9 }, T)).toThrow("cannot claim 5–9 at cursor 0");

    const file = { key: partKeyFor("events", "2026-11-20", 1, 30), dt: "2026-11-20", rows: 30, bytes: 900, first_seq: 1, last_seq: 30 };
    const committed = commitRange(claimed, "events", [file], T);
    expect(committed.events).toEqual({ cursor: 30, pending: null, files: [file] });
    expect(committed.rejects).toEqual(emptyExportManifest().rejects);
    expect(() => commitRange(committed, "events", [file], T)).toThrow("nothing pending");
  });

  it("lists a re-committed file once, with its latest size", () => {
    const file = { key: "events/dt=2026-11-20/part-000000000001-000000000030.parquet", dt: "2026-11-20", rows: 30, bytes: 900, first_seq: 1, last_seq: 30 };
    const once = commitRange(claimRange(emptyExportManifest(), "events", { after: 0, through: 30 }, T), "events", [file], T);
    // A lost commit re-done: same key, pending again over the same range.
    const replay = { ...once, events: { ...once.events, cursor: 0, pending: { after: 0, through: 30 } } };
    const twice = commitRange(replay, "events", [{ ...file, bytes: 901 }], T);
    expect(twice.events.files).toEqual([{ ...file, bytes: 901 }]);
    // 30 rows, not 60
    expect(ledgerRows(twice.events)).toBe(30);
  });

  it("accepts only part-shaped keys under events/ and rejects/", () => {
    expect(isExportKey("events/dt=2026-11-20/part-000000000001-000000000030.parquet")).toBe(true);
    expect(isExportKey("rejects/dt=2026-11-20/0123abcd.ndjson")).toBe(true);
    for (const bad of ["raw/dt=2026-11-20/a.ndjson", "export/manifest.json", "events/dt=2026-11-20/../x.parquet", "events/dt=2026-11-20/a/b.parquet", "events/x.parquet", "/events/dt=2026-11-20/a.parquet", "events/dt=2026-11-20/a.parquet\n"]) {
      expect(isExportKey(bad), bad).toBe(false);
    }
  });

  it("refuses a manifest it cannot read instead of starting over from seq 0", () => {
    expect(() => parseExportManifest('{"version":1,"partitions":{}}')).toThrow("not a version 2 export manifest");
    expect(parseExportManifest(JSON.stringify(emptyExportManifest())).events.cursor).toBe(0);
  });
});

describe("byte ranges of a 100-byte file", () => {
  it("resolves the single-range forms Parquet readers send", () => {
    expect(resolveByteRange("bytes=0-3", 100)).toEqual({ offset: 0, length: 4 }); // bytes 0,1,2,3
    expect(resolveByteRange("bytes=-8", 100)).toEqual({ offset: 92, length: 8 }); // 100 − 8 = 92 … 99
    expect(resolveByteRange("bytes=-500", 100)).toEqual({ offset: 0, length: 100 }); // suffix longer than the file: all of it
    expect(resolveByteRange("bytes=90-", 100)).toEqual({ offset: 90, length: 10 }); // 90 … 99
    expect(resolveByteRange("bytes=90-1000", 100)).toEqual({ offset: 90, length: 10 }); // end capped at 99
  });

  it("says which ranges cannot be served and which to ignore", () => {
    expect(resolveByteRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(resolveByteRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(resolveByteRange("bytes=5-2", 100)).toBeNull();
    expect(resolveByteRange("bytes=0-1,4-5", 100)).toBeNull();
    expect(resolveByteRange("lines=1-2", 100)).toBeNull();
    expect(resolveByteRange(undefined, 100)).toBeNull();
  });
});
