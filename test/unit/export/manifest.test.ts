import { describe, expect, it } from "vitest";
import { columnsMarkdown, EXPORT_COLUMNS } from "../../../collector/export/columns";
import {
  emptyManifest,
  manifestRows,
  partKey,
  planCompaction,
  rawKeyDate,
  staleKeys,
  withPartition,
  type Manifest,
  type ManifestFile,
} from "../../../collector/export/manifest";

const file = (dt: string, n: number, rows: number, sources: string[]): ManifestFile => ({
  key: partKey(dt, n),
  rows,
  bytes: rows * 100,
  min_received_at: `${dt}T00:00:00.000Z`,
  max_received_at: `${dt}T23:59:59.999Z`,
  sources,
});

describe("planCompaction", () => {
  const manifest: Manifest = {
    version: 1,
    updated_at: "2026-03-03T01:00:00.000Z",
    partitions: {
      "2026-03-01": { files: [file("2026-03-01", 0, 10, ["raw/dt=2026-03-01/a.ndjson", "raw/dt=2026-03-01/b.ndjson"])] },
      "2026-03-02": { files: [file("2026-03-02", 0, 5, ["raw/dt=2026-03-02/c.ndjson"])] },
    },
  };

  it("plans only dates with raw files not yet compacted, reading all of that date's files", () => {
    const raw = [
      "raw/dt=2026-03-03/f.ndjson", // a new day
      "raw/dt=2026-03-02/e.ndjson", // late file for a compacted day
      "raw/dt=2026-03-02/c.ndjson",
      "raw/dt=2026-03-01/b.ndjson", // 03-01 is fully compacted
      "raw/dt=2026-03-01/a.ndjson",
      "rejects/dt=2026-03-03/x.ndjson", // not events
      "events/dt=2026-03-01/part-0.parquet",
    ];
    expect(planCompaction(raw, manifest)).toEqual([
      { dt: "2026-03-02", sources: ["raw/dt=2026-03-02/c.ndjson", "raw/dt=2026-03-02/e.ndjson"], pending: ["raw/dt=2026-03-02/e.ndjson"], missing: [] },
      { dt: "2026-03-03", sources: ["raw/dt=2026-03-03/f.ndjson"], pending: ["raw/dt=2026-03-03/f.ndjson"], missing: [] },
    ]);
  });

  it("plans nothing once every raw file is in the manifest, however often it runs", () => {
    const raw = ["raw/dt=2026-03-01/a.ndjson", "raw/dt=2026-03-01/b.ndjson", "raw/dt=2026-03-02/c.ndjson"];
    expect(planCompaction(raw, manifest)).toEqual([]);
    expect(planCompaction([...raw, ...raw], manifest)).toEqual([]);
  });

  it("flags compacted raw files that have since disappeared, so their rows are not dropped", () => {
    // a.ndjson expired; a new g.ndjson arrived for the same day.
    const raw = ["raw/dt=2026-03-01/b.ndjson", "raw/dt=2026-03-01/g.ndjson"];
    expect(planCompaction(raw, manifest)).toEqual([
      { dt: "2026-03-01", sources: ["raw/dt=2026-03-01/b.ndjson", "raw/dt=2026-03-01/g.ndjson"], pending: ["raw/dt=2026-03-01/g.ndjson"], missing: ["raw/dt=2026-03-01/a.ndjson"] },
    ]);
  });

  it("treats an empty manifest as nothing compacted", () => {
    expect(planCompaction(["raw/dt=2026-03-01/a.ndjson"], emptyManifest())).toEqual([
      { dt: "2026-03-01", sources: ["raw/dt=2026-03-01/a.ndjson"], pending: ["raw/dt=2026-03-01/a.ndjson"], missing: [] },
    ]);
  });
});

describe("manifest helpers", () => {
  it("reads the date from raw keys only", () => {
    expect(rawKeyDate("raw/dt=2026-03-01/0f3a.ndjson")).toBe("2026-03-01");
    expect(rawKeyDate("rejects/dt=2026-03-01/0f3a.ndjson")).toBeNull();
    expect(rawKeyDate("raw/dt=2026-3-1/0f3a.ndjson")).toBeNull();
    expect(partKey("2026-03-01", 0)).toBe("events/dt=2026-03-01/part-0.parquet");
  });

  it("replaces one date's files without touching the old manifest, and lists files to delete", () => {
    const before = withPartition(emptyManifest(), "2026-03-01", [file("2026-03-01", 0, 10, ["a"]), file("2026-03-01", 1, 4, ["a"])], "2026-03-02T00:00:00.000Z");
    const after = withPartition(before, "2026-03-01", [file("2026-03-01", 0, 15, ["a", "b"])], "2026-03-03T00:00:00.000Z");
    // 10 + 4 = 14 rows before; the rewrite holds 15.
    expect(manifestRows(before)).toBe(14);
    expect(manifestRows(after)).toBe(15);
    expect(after.updated_at).toBe("2026-03-03T00:00:00.000Z");
    expect(before.partitions["2026-03-01"]!.files).toHaveLength(2);
    expect(staleKeys(before, "2026-03-01", after.partitions["2026-03-01"]!.files)).toEqual(["events/dt=2026-03-01/part-1.parquet"]);
  });
});

describe("export columns", () => {
  it("starts with message_id and names each column once", () => {
    const names = EXPORT_COLUMNS.map((c) => c.name);
    expect(names[0]).toBe("message_id");
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("session_id");
    expect(names).toContain("account_domain");
  });

  it("renders the README table with one row per column", () => {
    const md = columnsMarkdown().trimEnd().split("\n");
    expect(md).toHaveLength(EXPORT_COLUMNS.length + 2);
    expect(md[0]).toBe("| Column | Type | Null | Description |");
    expect(md[2]).toBe("| `message_id` | STRING | no | Unique event id (the client's messageId); the key to dedupe on when loading. |");
    expect(md).toContain("| `received_at` | TIMESTAMP (UTC, ms) | no | Time the collector accepted the event, UTC, millisecond precision; the date partition (dt=) is its date. |");
  });
});
