// A won deal's journey in numbers (SPEC §10): first touch, days from it to the close, touches
// (sessions before the close), and the medians the revenue report's total row shows. Pure; the
// journey is the one the attribution models share the deal over (journeyBeforeClose: the
// account's sessions in the lookback before closed_at), so the two never disagree.
import { journeyBeforeClose } from "./lookback";
import { DAY_MS, type Deal, type Touchpoint } from "./types";

export interface JourneySummary {
  /** the first touch's start, epoch ms; null without touches */
  first_touch_at: number | null;
  /** from the first touch to closed_at, in days (one decimal); null without either */
  days_to_close: number | null;
  touches: number;
  /** distinct visitors (devices) among the touches */
  visitors: number;
  /** channels in the order the journey first used them */
  channels: string[];
}

export function journeySummary(touches: readonly Touchpoint[], deal: Deal, lookbackDays?: number): JourneySummary {
  const journey = journeyBeforeClose(touches, deal, lookbackDays).touches;
  const first = journey[0]?.at ?? null;
  return {
    first_touch_at: first,
    days_to_close: first !== null && deal.closed_at !== null ? round1((deal.closed_at - first) / DAY_MS) : null,
    touches: journey.length,
    visitors: new Set(journey.map((t) => t.visitor_id)).size,
    channels: [...new Set(journey.map((t) => t.channel))],
  };
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface JourneyMedians {
  /** over the won deals with at least one touch; null when none has */
  median_days_to_close: number | null;
  median_touches: number | null;
}

/** Medians over won, closed deals; deals whose account had no touch in the lookback have no journey and are left out. */
export function journeyMedians(deals: readonly Deal[], touchesByAccount: ReadonlyMap<string, readonly Touchpoint[]>, lookbackDays?: number): JourneyMedians {
  const days: number[] = [];
  const touches: number[] = [];
  for (const deal of deals) {
    if (!deal.won || deal.closed_at === null) continue;
    const j = journeySummary(touchesByAccount.get(deal.account_id) ?? [], deal, lookbackDays);
    if (j.touches === 0 || j.days_to_close === null) continue;
    days.push(j.days_to_close);
    touches.push(j.touches);
  }
  const d = median(days);
  return { median_days_to_close: d === null ? null : round1(d), median_touches: median(touches) };
}

const round1 = (v: number) => Math.round(v * 10) / 10;
