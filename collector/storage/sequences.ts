// The consumer's counters, kept in the settings table: the next seq of each archive stream (the
// export cursor, SPEC §7) and the next session id. Read before a batch decides, written in its
// transaction; the identity epoch guard (identity-epoch.ts) fails the batch if anyone else
// committed in between, so two writers can never hand out the same numbers.

export interface Sequences {
  /** the last seq given to an accepted event */
  raw: number;
  /** the last seq given to a refused one */
  rejects: number;
  /** the last session id given out */
  session: number;
}

import { settingUpsert } from "./settings";

const KEYS: Record<keyof Sequences, string> = { raw: "seq:raw", rejects: "seq:rejects", session: "seq:session" };

export async function readSequences(d1: D1Database): Promise<Sequences> {
  const { results } = await d1
    .prepare("SELECT key, value FROM settings WHERE key IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(Object.values(KEYS)))
    .all<{ key: string; value: string }>();
  const get = (k: keyof Sequences) => Number(results.find((r) => r.key === KEYS[k])?.value ?? 0);
  return { raw: get("raw"), rejects: get("rejects"), session: get("session") };
}

/** Statements that store the counters that moved. */
export function writeSequences(d1: D1Database, before: Sequences, after: Sequences, now: string): D1PreparedStatement[] {
  return (Object.keys(KEYS) as (keyof Sequences)[])
    .filter((k) => after[k] !== before[k])
    .map((k) => settingUpsert(d1, KEYS[k], String(after[k]), now));
}
