// The ranking's arithmetic (SPEC §6 score over a window in two reads per account).
//
//   score(T) = Σ_{d in [F, T]} w_d · 2^(−(T−d)/h) = 2^(−(T−E)/h) · Σ_{d in [F, T]} w_d · 2^((d−E)/h)
//
// so each account day stores ws = w_d · 2^((d−E)/h) (E: a fixed epoch day) and the running sum
// of ws; a window's score is (run(T) − run(F−1)) · 2^(−(T−E)/h). E moves forward ("rebase")
// before 2^((d−E)/h) could leave the range of a double.
import { dayNumber } from "../engagement/activity";
import type { EngagementSettings } from "../engagement/settings";

/** 2024-01-01: the epoch until a settings change or a rebase picks a newer one. */
export const DEFAULT_EPOCH_DAY = 19_723;

/** Rebase once exponents pass this (doubles overflow at 2^1024). */
export const MAX_EXPONENT = 900;

export interface Scoring {
  settings: EngagementSettings;
  /** E, in days since 1970-01-01 */
  epochDay: number;
}

/** The factor that turns Σ ws over a window ending `to` into the window's score. */
export function windowScale(to: string, s: Scoring): number {
  return 2 ** (-(dayNumber(to) - s.epochDay) / s.settings.half_life_days);
}

/** True when today's ws factors come close to overflowing: time to move the epoch to today. */
export function needsRebase(today: string, s: Scoring): boolean {
  return (dayNumber(today) - s.epochDay) / s.settings.half_life_days > MAX_EXPONENT;
}
