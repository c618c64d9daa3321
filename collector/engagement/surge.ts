// Surging (SPEC §6): this week's weighted activity ≥ 2 × the weekly mean of the three weeks
// before, and at least 5 events. Momentum, as 6sense reads buying stages.
import { type DayActivity, dayNumber, eventCount, sumComponents, weighDay } from "./activity";
import type { EngagementSettings } from "./settings";

export interface WeeklyActivity {
  /** the 7 days ending asOf (asOf−6 … asOf) */
  thisWeek: { weighted: number; events: number };
  /** weighted activity of the weeks before, most recent first: asOf−13…asOf−7, asOf−20…asOf−14, asOf−27…asOf−21 */
  previous: number[];
}

export const SURGE_FACTOR = 2;
export const SURGE_MIN_EVENTS = 5;
const PREVIOUS_WEEKS = 3;

/**
 * Buckets days into the week ending asOf and the three before it. "Weighted activity" is
 * Σ weights without decay (the same weights as the score); events are page views and form
 * events. Days after asOf or older than four weeks are ignored.
 */
export function weeklyActivity(days: readonly DayActivity[], asOf: string, settings: EngagementSettings): WeeklyActivity {
  const today = dayNumber(asOf);
  const weeks = new Array<number>(PREVIOUS_WEEKS + 1).fill(0);
  let events = 0;
  for (const d of days) {
    const age = today - dayNumber(d.day);
    if (age < 0) continue;
    const week = Math.floor(age / 7);
    if (week > PREVIOUS_WEEKS) continue;
    weeks[week] += sumComponents(weighDay(d, settings.weights));
    if (week === 0) events += eventCount(d);
  }
  return { thisWeek: { weighted: weeks[0], events }, previous: weeks.slice(1) };
}

/**
 * True when this week ≥ 2 × the mean of the previous weeks and it had ≥ 5 events. With no
 * activity before (mean 0), any week of 5 or more events surges.
 */
export function surging(weekly: WeeklyActivity): boolean {
  if (weekly.thisWeek.events < SURGE_MIN_EVENTS) return false;
  const n = weekly.previous.length;
  if (n === 0) return true;
  const sum = weekly.previous.reduce((a, b) => a + b, 0);
  // this ≥ 2 · sum / n, multiplied out, with a hair of tolerance: fractional weights (0.5 per
  // engaged minute) must not turn "exactly 2×" into 1.9999999999999998×.
  return weekly.thisWeek.weighted * n >= SURGE_FACTOR * sum * (1 - 1e-9);
}
