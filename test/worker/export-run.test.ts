import { createScheduledController } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { EXPORT_MANIFEST_KEY } from "../../collector/export/ledger";
import { runExport } from "../../collector/export/run";
import worker from "../../collector/index";
import {
  event,
  failingBucket,
  keysUnder,
  parquetRowsUnder,
  reject,
  resetExport,
  store,
  storedManifest,
  testEnv,
} from "./export-fixtures";

// The scheduled export driven directly: re-runs, crashes half-way and two runs at once must all
// end with every stored event in exactly one Parquet file.

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.message_id as string).sort();
const expectedIds = (...lists: number[][]) => lists.flat().map((i) => `exp-${i}`).sort();

beforeEach(resetExport);

describe("scheduled export", () => {
  it("writes one Parquet part per date and a manifest that lists them", async () => {
    await store([...range(0, 5), ...range(100, 103)].map((i) => event(i)));
    const report = await runExport(testEnv);
    expect(report.events).toMatchObject({ files_written: 2, rows_written: 8, caught_up: true });

    const m = await storedManifest();
    const seqs = m.events.files.map((f) => [f.first_seq, f.last_seq]);
    expect(m.events.files.map((f) => ({ dt: f.dt, rows: f.rows }))).toEqual([
      { dt: "2026-11-20", rows: 5 },
      { dt: "2026-11-21", rows: 3 },
    ]);
    expect(m.events.cursor).toBe(seqs[1]![1]);
    expect(m.events.pending).toBeNull();
    expect(await keysUnder("events/")).toEqual(m.events.files.map((f) => f.key));
    expect(m.events.files[0]!.key).toMatch(/^events\/dt=2026-11-20\/part-\d{12}-\d{12}\.parquet$/);
    expect(ids(await parquetRowsUnder("events/dt=2026-11-21/"))).toEqual(expectedIds(range(100, 103)));
  });

  it("running again writes nothing, and new events go into new parts only", async () => {
    await store(range(0, 4).map((i) => event(i)));
    await runExport(testEnv);
    const again = await runExport(testEnv);
    expect(again.events).toMatchObject({ files_written: 0, rows_written: 0, caught_up: true });

    await store(range(4, 7).map((i) => event(i)));
    const third = await runExport(testEnv);
    expect(third.events).toMatchObject({ files_written: 1, rows_written: 3 });
    expect((await storedManifest()).events.files.map((f) => f.rows)).toEqual([4, 3]);
    expect(ids(await parquetRowsUnder("events/"))).toEqual(expectedIds(range(0, 7)));
  });

  it("after a crash between the Parquet files and the manifest, the next run rewrites the same files", async () => {
    await store([...range(0, 6), ...range(100, 104)].map((i) => event(i)));
    // Claim succeeds, both parts are written, the commit of the manifest fails.
    let manifestWrites = 0;
    const crashing = failingBucket((key) => key === EXPORT_MANIFEST_KEY && ++manifestWrites === 2);
    await expect(runExport({ DB: testEnv.DB, ARCHIVE: crashing })).rejects.toThrow("injected R2 failure");
    const crashed = await storedManifest();
    expect(crashed.events.pending).not.toBeNull();
    expect(crashed.events.files).toEqual([]);
    const written = await keysUnder("events/");
    expect(written).toHaveLength(2);

    // Events arriving meanwhile must not change the claimed range's file names.
    await store(range(6, 9).map((i) => event(i)));
    await runExport(testEnv);
    const m = await storedManifest();
    expect(m.events.pending).toBeNull();
    expect(m.events.files.slice(0, 2).map((f) => f.key)).toEqual(written);
    expect(await keysUnder("events/")).toEqual(m.events.files.map((f) => f.key).sort());
    const rows = await parquetRowsUnder("events/");
    expect(ids(rows)).toEqual(expectedIds(range(0, 9), range(100, 104)));
  });

  it("after a crash half-way through the parts, nothing is lost or doubled", async () => {
    await store([...range(0, 3), ...range(100, 103)].map((i) => event(i)));
    // The first date's part is written; writing the second date's part fails.
    const crashing = failingBucket((key) => key.startsWith("events/dt=2026-11-21/"));
    await expect(runExport({ DB: testEnv.DB, ARCHIVE: crashing })).rejects.toThrow("injected R2 failure");
    expect(await keysUnder("events/")).toHaveLength(1);

    await runExport(testEnv);
    await runExport(testEnv);
    const rows = await parquetRowsUnder("events/");
    expect(rows).toHaveLength(6);
    expect(ids(rows)).toEqual(expectedIds(range(0, 3), range(100, 103)));
  });

  it("two runs at once commit each range once", async () => {
    await store(range(0, 25).map((i) => event(i)));
    const [a, b] = await Promise.all([runExport(testEnv, { partRows: 10 }), runExport(testEnv, { partRows: 10 })]);
    expect(a.lost_race || b.lost_race).toBe(true);
    await runExport(testEnv, { partRows: 10 }); // finishes whatever the loser left
    const m = await storedManifest();
    expect(m.events.files.map((f) => f.rows)).toEqual([10, 10, 5]);
    expect(await keysUnder("events/")).toEqual(m.events.files.map((f) => f.key));
    expect(ids(await parquetRowsUnder("events/"))).toEqual(expectedIds(range(0, 25)));
  });

  it("stops at the time budget and carries on from the cursor next time", async () => {
    await store(range(0, 9).map((i) => event(i)));
    let calls = 0;
    // A clock that jumps 10 s per reading: the budget of 15 s allows the first step only.
    const report = await runExport(testEnv, { partRows: 4, maxMs: 15_000, now: () => new Date(Date.UTC(2026, 10, 22) + 10_000 * calls++) });
    expect(report.events).toMatchObject({ rows_written: 4, caught_up: false });
    const rest = await runExport(testEnv, { partRows: 4 });
    expect(rest.events).toMatchObject({ rows_written: 5, files_written: 2, caught_up: true });
    expect(ids(await parquetRowsUnder("events/"))).toEqual(expectedIds(range(0, 9)));
  });

  it("exports rejected events under rejects/ with their reasons", async () => {
    await store([event(0)], [reject(1), reject(2)]);
    const report = await runExport(testEnv);
    expect(report.rejects).toMatchObject({ files_written: 1, rows_written: 2, caught_up: true });
    expect(await keysUnder("rejects/dt=2026-11-20/part-")).toHaveLength(1);
    const rows = await parquetRowsUnder("rejects/");
    expect(rows.map((r) => [r.reject_id, r.code, r.payload])).toEqual([
      ["rej-1", "invalid_type", '{"type":"nope","i":1}'],
      ["rej-2", "invalid_type", '{"type":"nope","i":2}'],
    ]);
    expect(rows[0]!.received_at).toEqual(new Date(Date.UTC(2026, 10, 20, 12, 1)));
  });

  it("runs from the cron trigger", async () => {
    await store(range(0, 3).map((i) => event(i)));
    await worker.scheduled(createScheduledController({ cron: "7 * * * *", scheduledTime: Date.now() }), testEnv);
    expect((await storedManifest()).events.files.map((f) => f.rows)).toEqual([3]);
  });
});
