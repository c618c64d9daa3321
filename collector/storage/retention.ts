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

import { readJsonSetting, settingUpsert } from "./settings";

const KEY = "retention";

export async function readRetention(d1: D1Database): Promise<Retention> {
  return { ...DEFAULT_RETENTION, ...(await readJsonSetting<Partial<Retention>>(d1, KEY)) };
}

export async function writeRetention(d1: D1Database, r: Retention, at: string): Promise<void> {
  await settingUpsert(d1, KEY, JSON.stringify(r), at).run();
}
