import { settingUpsert } from "./settings";

// Identity has two writers: the queue consumer (new evidence) and imports that re-resolve past
// visitors (PUT /v1/accounts). Each reads identities, decides, then commits; a commit by the other
// in between would be overwritten with stale decisions. So each batch carries a guard: it fails
// (and rolls back) unless the epoch is still the one read before deciding, and it bumps the epoch.

const KEY = "identity_epoch";
/** What the guard's failure says; `isEpochConflict` recognises it. */
const CONFLICT = "malformed JSON";

export async function readIdentityEpoch(d1: D1Database): Promise<number> {
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(KEY).first<{ value: string }>();
  return row ? Number(row.value) : 0;
}

export function guardIdentityEpoch(d1: D1Database, seen: number, now: string): D1PreparedStatement[] {
  return [
    // json() of a non-JSON string raises an error: the only way to abort a D1 batch from SQL.
    d1
      .prepare(
        `SELECT CASE WHEN coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1), 0) <> ?2
                     THEN json('identity epoch moved') END`,
      )
      .bind(KEY, seen),
    settingUpsert(d1, KEY, String(seen + 1), now),
  ];
}

export const isEpochConflict = (err: unknown): boolean => err instanceof Error && err.message.includes(CONFLICT);
