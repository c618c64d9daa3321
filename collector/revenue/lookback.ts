import { DAY_MS, DEFAULT_LOOKBACK_DAYS, type Deal, type Touchpoint } from "./types";

/** Earlier first; equal times by session_id, then visitor_id, so ties always give the same answer. */
export function byTime(a: Touchpoint, b: Touchpoint): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.session_id !== b.session_id) return a.session_id < b.session_id ? -1 : 1;
  if (a.visitor_id !== b.visitor_id) return a.visitor_id < b.visitor_id ? -1 : 1;
  return 0;
}

/**
 * Where a deal's lookback ends: its close. A deal without closed_at (an import may lack it)
 * ends at created_at, and without either at the account's latest touch, so it is still
 * attributed rather than silently dropped.
 */
export function lookbackEnd(touches: readonly Touchpoint[], deal: Deal): number {
  if (deal.closed_at !== null) return deal.closed_at;
  if (deal.created_at !== null) return deal.created_at;
  let latest = -Infinity;
  for (const t of touches) if (t.at > latest) latest = t.at;
  return latest;
}

/**
 * The deal's journey: touches with end − lookback ≤ at ≤ end (both bounds inclusive), in time
 * order. A touch after the close cannot have caused the deal, one older than the lookback is
 * considered forgotten.
 */
export function journeyBeforeClose(
  touches: readonly Touchpoint[],
  deal: Deal,
  lookbackDays: number = DEFAULT_LOOKBACK_DAYS,
): { touches: Touchpoint[]; end: number } {
  const end = lookbackEnd(touches, deal);
  const start = end - lookbackDays * DAY_MS;
  const inside = touches.filter((t) => t.at >= start && t.at <= end).sort(byTime);
  return { touches: inside, end };
}
