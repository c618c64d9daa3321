// What the scheduled job deletes (SPEC §12 retention) and what it records of its runs for
// GET /v1/status. Deletes go in chunks so no statement runs long (D1: 30 s per query).

import { readJsonSetting, settingUpsert } from "./settings";

const CHUNK = 5_000;

/** Deletes rollups, sessions and moments of days before `day` (YYYY-MM-DD); answers rows deleted per table. */
export async function deleteRollupsBefore(d1: D1Database, day: string, maxChunks = 20): Promise<Record<string, number>> {
  const targets: [string, string][] = [
    ["visitor_days", `DELETE FROM visitor_days WHERE (anonymous_id, day) IN (SELECT anonymous_id, day FROM visitor_days WHERE day < ?1 LIMIT ${CHUNK})`],
    ["account_days", `DELETE FROM account_days WHERE rowid IN (SELECT rowid FROM account_days WHERE day < ?1 LIMIT ${CHUNK})`],
    ["sessions", `DELETE FROM sessions WHERE (anonymous_id, id) IN (SELECT anonymous_id, id FROM sessions WHERE started_at < ?1 AND ended_at < ?1 LIMIT ${CHUNK})`],
    ["visitor_moments", `DELETE FROM visitor_moments WHERE (anonymous_id, at, kind) IN (SELECT anonymous_id, at, kind FROM visitor_moments WHERE at < ?1 LIMIT ${CHUNK})`],
  ];
  const out: Record<string, number> = {};
  for (const [table, sql] of targets) {
    out[table] = 0;
    for (let i = 0; i < maxChunks; i++) {
      const r = await d1.prepare(sql).bind(day).run();
      const n = r.meta.changes ?? 0;
      out[table] += n;
      if (n < CHUNK) break;
    }
  }
  return out;
}

/** The database's size in bytes, as D1 reports it after any query. */
export async function databaseBytes(d1: D1Database): Promise<number> {
  const r = await d1.prepare("SELECT 1").run();
  return Number(r.meta.size_after ?? 0);
}

const readJson = readJsonSetting;
const writeJson = (d1: D1Database, key: string, value: unknown) => settingUpsert(d1, key, JSON.stringify(value), new Date().toISOString()).run();

export type RunKind = "export" | "retention";

export const readLastRun = <T>(d1: D1Database, kind: RunKind) => readJson<T & { at: string }>(d1, `run:${kind}`);
export const recordRun = (d1: D1Database, kind: RunKind, report: object) => writeJson(d1, `run:${kind}`, { at: new Date().toISOString(), ...report });

/** One size reading per UTC day, the last 30: what growth per day is measured from. */
export type SizeHistory = [day: string, bytes: number][];

export async function recordSize(d1: D1Database, day: string, bytes: number): Promise<SizeHistory> {
  const history = ((await readJson<SizeHistory>(d1, "status:d1_sizes")) ?? []).filter(([d]) => d !== day);
  history.push([day, bytes]);
  const kept = history.sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(-30);
  await writeJson(d1, "status:d1_sizes", kept);
  return kept;
}

export const readSizes = async (d1: D1Database) => (await readJson<SizeHistory>(d1, "status:d1_sizes")) ?? [];
