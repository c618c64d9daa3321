// GET /v1/status (SPEC §12): how full D1 is and how fast it grows, what arrived in the last day,
// what waits in the dead-letter store, and when the export and retention last ran.
import type { Env } from "../env";
import { rowsSince } from "../storage/archive";
import { countDeadLetters } from "../storage/dead-letters";
import { databaseBytes, readLastRun, readSizes, recordSize } from "../storage/lifecycle";
import { legacyFloor } from "../storage/legacy";
import { readRetention, type Retention } from "../storage/retention";

/** D1's hard cap per database on Workers Paid: https://developers.cloudflare.com/d1/platform/limits/ */
export const D1_CAP_BYTES = 10 * 1024 ** 3;
const DAY_MS = 86_400_000;

export interface Status {
  d1: { bytes: number; cap_bytes: number; used: number; growth_bytes_per_day: number | null; days_until_cap: number | null };
  last_24h: { events: number; rejects: number };
  dead_letters: { pending: number; replayed: number };
  retention: Retention;
  last_export: Record<string, unknown> | null;
  last_retention: Record<string, unknown> | null;
  upgrade: { pending: boolean };
}

/** Growth per day from the daily size readings: the newest minus the oldest, over the days between. */
export function growthPerDay(history: readonly [string, number][]): number | null {
  if (history.length < 2) return null;
  const [d0, b0] = history[0];
  const [d1, b1] = history[history.length - 1];
  const days = (Date.parse(d1) - Date.parse(d0)) / DAY_MS;
  return days > 0 ? (b1 - b0) / days : null;
}

export async function readStatus(env: Pick<Env, "DB" | "ARCHIVE">, now = new Date()): Promise<Status> {
  const d1 = env.DB;
  const since = Math.floor((now.getTime() - DAY_MS) / 1000);
  const [bytes, sizes, events, rejects, dead, retention, lastExport, lastRetention, floor] = await Promise.all([
    databaseBytes(d1), readSizes(d1), rowsSince(d1, "raw", since), rowsSince(d1, "rejects", since), countDeadLetters(env.ARCHIVE),
    readRetention(d1), readLastRun(d1, "export"), readLastRun(d1, "retention"), legacyFloor(d1, "raw"),
  ]);
  const growth = growthPerDay([...sizes.filter(([d]) => d !== now.toISOString().slice(0, 10)), [now.toISOString().slice(0, 10), bytes]]);
  return {
    d1: {
      bytes,
      cap_bytes: D1_CAP_BYTES,
      used: bytes / D1_CAP_BYTES,
      growth_bytes_per_day: growth === null ? null : Math.round(growth),
      days_until_cap: growth !== null && growth > 0 ? Math.floor((D1_CAP_BYTES - bytes) / growth) : null,
    },
    last_24h: { events, rejects },
    dead_letters: dead,
    retention,
    last_export: lastExport,
    last_retention: lastRetention,
    upgrade: { pending: floor !== null },
  };
}

/** The daily size reading the growth figure is measured from (the scheduled job takes one an hour; the day's last one stays). */
export async function recordDatabaseSize(d1: D1Database, now = new Date()): Promise<void> {
  await recordSize(d1, now.toISOString().slice(0, 10), await databaseBytes(d1));
}
