// The deployment's engagement settings (SPEC §6), one JSON row; the SPEC defaults when unset.
import { DEFAULT_ENGAGEMENT, engagementSettings, type EngagementSettings } from "../engagement/settings";

const KEY = "engagement";

export async function readEngagementSettings(d1: D1Database): Promise<EngagementSettings> {
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(KEY).first<{ value: string }>();
  if (!row) return engagementSettings();
  try {
    return engagementSettings(JSON.parse(row.value) as EngagementSettings);
  } catch {
    // A row written by an older version that no longer validates: the defaults, not an outage.
    return { ...DEFAULT_ENGAGEMENT, weights: { ...DEFAULT_ENGAGEMENT.weights }, high_intent_pages: [...DEFAULT_ENGAGEMENT.high_intent_pages] };
  }
}

export async function writeEngagementSettings(d1: D1Database, s: EngagementSettings, at: string): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .bind(KEY, JSON.stringify(s), at)
    .run();
}
