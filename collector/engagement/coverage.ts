// Coverage (SPEC §4 GET /v1/coverage): the share of a segment's accounts with at least one
// engagement in a period, this period and the one before.
import { dayString } from "./activity";

export type CoveragePeriod = "week" | "month" | "quarter";

export interface PeriodCoverage {
  /** accounts in the segment */
  accounts: number;
  /** of those, accounts with at least one engagement in the period */
  engaged: number;
  /** engaged / accounts; 0 for an empty segment */
  share: number;
}

export interface Coverage {
  current: PeriodCoverage;
  previous: PeriodCoverage;
}

/**
 * Both periods are measured against today's segment membership, so a change in share means a
 * change in engagement, not in the segment. Engaged accounts outside the segment are ignored.
 */
export function coverage(
  segmentAccounts: readonly string[],
  engagedThis: ReadonlySet<string>,
  engagedPrevious: ReadonlySet<string>,
): Coverage {
  const segment = new Set(segmentAccounts);
  return { current: measure(segment, engagedThis), previous: measure(segment, engagedPrevious) };
}

function measure(segment: ReadonlySet<string>, engaged: ReadonlySet<string>): PeriodCoverage {
  let n = 0;
  for (const account of segment) if (engaged.has(account)) n++;
  return { accounts: segment.size, engaged: n, share: segment.size === 0 ? 0 : n / segment.size };
}

export interface DayRange {
  /** first day, YYYY-MM-DD (inclusive) */
  from: string;
  /** day after the last, YYYY-MM-DD (exclusive) */
  to: string;
}

/**
 * The UTC calendar period containing asOf and the one before it. Weeks start on Monday
 * (ISO 8601), quarters in January, April, July and October. The current period is the whole
 * calendar period, so it simply has no data after today yet.
 */
export function periodBounds(period: CoveragePeriod, asOf: Date): { current: DayRange; previous: DayRange } {
  if (Number.isNaN(asOf.getTime())) throw new RangeError("asOf is not a valid date");
  const y = asOf.getUTCFullYear();
  const m = asOf.getUTCMonth();
  if (period === "week") {
    const today = Date.UTC(y, m, asOf.getUTCDate()) / 86_400_000;
    const monday = today - ((asOf.getUTCDay() + 6) % 7); // getUTCDay: Sunday 0 … Saturday 6
    return {
      current: { from: dayString(monday), to: dayString(monday + 7) },
      previous: { from: dayString(monday - 7), to: dayString(monday) },
    };
  }
  const months = period === "month" ? 1 : 3;
  const start = m - (m % months);
  // Date.UTC rolls month −3 or 12 over into the neighbouring year.
  const first = (monthOffset: number) => new Date(Date.UTC(y, start + monthOffset, 1)).toISOString().slice(0, 10);
  return {
    current: { from: first(0), to: first(months) },
    previous: { from: first(-months), to: first(0) },
  };
}
