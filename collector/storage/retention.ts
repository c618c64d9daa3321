// Retention settings (SPEC §12), one JSON row in settings: how long dedupe keys, raw R2 objects
// and D1 rollups are kept. The scheduled job (collector/lifecycle/retention.ts) applies them.

export interface Retention {
  /** days a message id is remembered after its first copy arrived (re-sends inside count once) */
  dedupe_days: number;
  /** days raw NDJSON objects are kept in R2, by event time */
  raw_days: number;
  /** days of day rollups and sessions kept in D1, by event time */
  rollup_days: number;
}

/** 25 months, in days (SPEC §12's default for raw events and rollups). */
const MONTHS_25 = 761;
export const DEFAULT_RETENTION: Readonly<Retention> = Object.freeze({ dedupe_days: 35, raw_days: MONTHS_25, rollup_days: MONTHS_25 });

const KEY = "retention";

export async function readRetention(d1: D1Database): Promise<Retention> {
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(KEY).first<{ value: string }>();
  if (!row) return { ...DEFAULT_RETENTION };
  try {
    return { ...DEFAULT_RETENTION, ...(JSON.parse(row.value) as Partial<Retention>) };
  } catch {
    return { ...DEFAULT_RETENTION };
  }
}

export async function writeRetention(d1: D1Database, r: Retention, at: string): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .bind(KEY, JSON.stringify(r), at)
    .run();
}
