// Engagement score of an account (SPEC §6):  Σ weight(event) · 2^(−age_days / half_life),
// returned with its components so a user can see why an account ranks where it does.
import { type ActivityComponents, type DayActivity, dayNumber, weighDay } from "./activity";
import type { EngagementSettings } from "./settings";

export type { ActivityComponents, DayActivity } from "./activity";
export { DEFAULT_ENGAGEMENT, engagementSettings, isHighIntent, type EngagementSettings } from "./settings";

export interface EngagementScore {
  score: number;
  /** decayed weighted contribution of each kind; they sum to `score` */
  components: ActivityComponents;
}

/**
 * Scores the given days as of `asOf` (YYYY-MM-DD, UTC). age_days is the whole number of days
 * from the activity's day to asOf, 0 for asOf itself; days after asOf are not counted.
 * The caller passes the days of the window (e.g. the last 30): no window is applied here.
 */
export function score(days: readonly DayActivity[], asOf: string, settings: EngagementSettings): EngagementScore {
  const today = dayNumber(asOf);
  const components: ActivityComponents = {
    page_views: 0,
    high_intent_page_views: 0,
    form_starts: 0,
    form_submits: 0,
    engaged_minutes: 0,
  };
  for (const d of days) {
    const age = today - dayNumber(d.day);
    if (age < 0) continue;
    const decay = 2 ** (-age / settings.half_life_days);
    const weighed = weighDay(d, settings.weights);
    for (const k of Object.keys(components) as (keyof ActivityComponents)[]) components[k] += weighed[k] * decay;
  }
  const total =
    components.page_views +
    components.high_intent_page_views +
    components.form_starts +
    components.form_submits +
    components.engaged_minutes;
  return { score: total, components };
}
