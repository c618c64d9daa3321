// Reporting windows (SPEC §4): `7d`, `30d`, `90d` ending today, or `from`/`to` ISO dates, UTC.
import { dayNumber, dayString } from "../engagement/activity";

export interface Window {
  /** first day, YYYY-MM-DD, inclusive */
  from: string;
  /** last day, YYYY-MM-DD, inclusive; scores and surge are measured as of this day */
  to: string;
}

export const WINDOWS = ["7d", "30d", "90d"] as const;
export const MAX_WINDOW_DAYS = 366;

/** A YYYY-MM-DD day or an ISO 8601 date-time (its UTC day); null when it is neither. */
export function isoDay(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      dayNumber(value);
      return value;
    } catch {
      return null;
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** The window the query asks for, or a sentence saying what is wrong with it. */
export function parseWindow(q: { window?: string; from?: string; to?: string }, today: Date): Window | { error: string } {
  const todayDay = today.toISOString().slice(0, 10);
  if (q.from !== undefined || q.to !== undefined) {
    if (q.window !== undefined) return { error: "Send either `window` or `from`/`to`, not both." };
    if (q.from === undefined) return { error: "`from` is required with `to` (YYYY-MM-DD)." };
    const from = isoDay(q.from);
    if (from === null) return { error: "`from` must be an ISO date, e.g. 2026-01-31." };
    const to = q.to === undefined ? todayDay : isoDay(q.to);
    if (to === null) return { error: "`to` must be an ISO date, e.g. 2026-01-31." };
    if (from > to) return { error: "`from` must not be after `to`." };
    if (dayNumber(to) - dayNumber(from) + 1 > MAX_WINDOW_DAYS) return { error: `A window may span at most ${MAX_WINDOW_DAYS} days.` };
    return { from, to };
  }
  const w = q.window ?? "30d";
  if (!(WINDOWS as readonly string[]).includes(w)) return { error: `\`window\` must be one of ${WINDOWS.join(", ")} (or use from/to).` };
  const n = Number(w.slice(0, -1));
  return { from: dayString(dayNumber(todayDay) - n + 1), to: todayDay };
}

export function shiftDay(day: string, days: number): string {
  return dayString(dayNumber(day) + days);
}
