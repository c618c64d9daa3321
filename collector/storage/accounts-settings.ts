// The deployment's engagement settings (SPEC §6), one JSON row; the SPEC defaults when unset.
// Beside it, the epoch of the ranking's scaled weights (accounts/scoring.ts).
import { DEFAULT_EPOCH_DAY, type Scoring } from "../accounts/scoring";
import { DEFAULT_ENGAGEMENT, engagementSettings, type EngagementSettings } from "../engagement/settings";
import { recomputeAllRunningSums } from "./rollups-running";
import { settingUpsert } from "./settings";

const KEY = "engagement";
const EPOCH_KEY = "score_epoch_day";

function parseSettings(value: string | undefined): EngagementSettings {
  if (value === undefined) return engagementSettings();
  try {
    return engagementSettings(JSON.parse(value) as EngagementSettings);
  } catch {
    // A row written by an older version that no longer validates: the defaults, not an outage.
    return { ...DEFAULT_ENGAGEMENT, weights: { ...DEFAULT_ENGAGEMENT.weights }, high_intent_pages: [...DEFAULT_ENGAGEMENT.high_intent_pages] };
  }
}

export async function readScoring(d1: D1Database): Promise<Scoring> {
  const { results } = await d1
    .prepare("SELECT key, value FROM settings WHERE key IN (?1, ?2)")
    .bind(KEY, EPOCH_KEY)
    .all<{ key: string; value: string }>();
  const byKey = new Map(results.map((r) => [r.key, r.value]));
  const epoch = Number(byKey.get(EPOCH_KEY));
  return { settings: parseSettings(byKey.get(KEY)), epochDay: Number.isInteger(epoch) ? epoch : DEFAULT_EPOCH_DAY };
}

export async function readEngagementSettings(d1: D1Database): Promise<EngagementSettings> {
  return (await readScoring(d1)).settings;
}

const upsert = settingUpsert;

/** Moves the epoch to `epochDay` and recomputes every account day's scaled weight and sums. */
export function rebaseStatements(d1: D1Database, epochDay: number, at: string): D1PreparedStatement[] {
  return [upsert(d1, EPOCH_KEY, String(epochDay), at), ...recomputeAllRunningSums(d1)];
}

/**
 * New settings, with every account day's scaled weight and running sums recomputed under them
 * (epoch moved to today), in one transaction. Cost: one pass over account_days.
 */
export async function writeEngagementSettings(d1: D1Database, s: EngagementSettings, at: string): Promise<void> {
  await d1.batch([upsert(d1, KEY, JSON.stringify(s), at), ...rebaseStatements(d1, Math.floor(Date.parse(at) / 86_400_000), at)]);
}
