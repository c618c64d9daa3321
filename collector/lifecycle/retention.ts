// The retention job (SPEC §12), run by the hourly cron: dedupe keys past `dedupe_days`, raw
// objects past `raw_days` and rollups past `rollup_days` (both by event time) are deleted, and
// objects a failed batch left unlisted are removed. Safe to run twice at once: every step deletes
// what is past its line, and a second run finds nothing left.
import type { Env } from "../env";
import { keyOf, ledgerDeletes, ledgerOlderThan, unlistedObjects, type Stream } from "../storage/archive";
import { dayNumber, purgeDedupeKeys } from "../storage/dedupe";
import { deleteRollupsBefore, recordRun } from "../storage/lifecycle";
import { readExportManifest } from "../storage/export";
import { readRetention } from "../storage/retention";

const DAY_MS = 86_400_000;
/** A batch writes its objects, then commits within seconds; an hour is far past any live batch. */
const ORPHAN_AGE_MS = 3_600_000;

export interface RetentionReport {
  dedupe_keys: number;
  raw_objects: number;
  reject_objects: number;
  orphan_objects: number;
  rollups: Record<string, number>;
}

export async function runRetention(env: Pick<Env, "DB" | "ARCHIVE">, now = new Date()): Promise<RetentionReport> {
  const d1 = env.DB;
  const r = await readRetention(d1);
  const dedupe_keys = await purgeDedupeKeys(d1, dayNumber(now.getTime()) - r.dedupe_days);

  // Only what the warehouse export has already written to Parquet goes: never an event it has not seen.
  const manifest = (await readExportManifest(env.ARCHIVE)).manifest;
  const exported: Record<Stream, number> = { raw: manifest?.events.cursor ?? 0, rejects: manifest?.rejects.cursor ?? 0 };
  const expire = async (stream: Stream) => {
    let n = 0;
    for (let i = 0; i < 20; i++) {
      const old = await ledgerOlderThan(d1, stream, Math.floor((now.getTime() - r.raw_days * DAY_MS) / 1000), 500);
      const rows = old.filter((row) => row.last_seq <= exported[stream]);
      if (rows.length === 0) break;
      // Unlist first: an object listed but gone would stop the export; one gone unlisted is nothing.
      await d1.batch(ledgerDeletes(d1, rows));
      await env.ARCHIVE.delete(rows.map(keyOf));
      n += rows.length;
    }
    return n;
  };
  const raw_objects = await expire("raw");
  const reject_objects = await expire("rejects");

  let orphan_objects = 0;
  for (const stream of ["raw", "rejects"] as const) {
    for (const back of [0, 1]) {
      const dt = new Date(now.getTime() - back * DAY_MS).toISOString().slice(0, 10);
      const orphans = await unlistedObjects(d1, env.ARCHIVE, stream, dt, now.getTime() - ORPHAN_AGE_MS);
      if (orphans.length) await env.ARCHIVE.delete(orphans);
      orphan_objects += orphans.length;
    }
  }

  const rollups = await deleteRollupsBefore(d1, new Date(now.getTime() - r.rollup_days * DAY_MS).toISOString().slice(0, 10));
  const report = { dedupe_keys, raw_objects, reject_objects, orphan_objects, rollups };
  await recordRun(d1, "retention", report);
  return report;
}
