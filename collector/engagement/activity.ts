// One account's (or visitor's) activity on one UTC day: the rollup the scores read.
import type { EngagementWeights } from "./settings";

export interface DayActivity {
  /** UTC day, YYYY-MM-DD */
  day: string;
  /** page views on pages that match no page rule; a page view counts here or below, never both */
  page_views: number;
  /** page views on pages matching the high-intent page rules */
  high_intent_page_views: number;
  form_starts: number;
  form_submits: number;
  engaged_seconds: number;
}

/** The weighted contribution of each kind of activity, before any decay. */
export interface ActivityComponents {
  page_views: number;
  high_intent_page_views: number;
  form_starts: number;
  form_submits: number;
  engaged_minutes: number;
}

export function weighDay(d: DayActivity, w: EngagementWeights): ActivityComponents {
  return {
    page_views: d.page_views * w.page_view,
    high_intent_page_views: d.high_intent_page_views * w.high_intent_page_view,
    form_starts: d.form_starts * w.form_start,
    form_submits: d.form_submits * w.form_submit,
    engaged_minutes: (d.engaged_seconds / 60) * w.engaged_minute,
  };
}

export function sumComponents(c: ActivityComponents): number {
  return c.page_views + c.high_intent_page_views + c.form_starts + c.form_submits + c.engaged_minutes;
}

/** Events counted for the surge threshold: page views and form events (engaged time is not an event). */
export function eventCount(d: DayActivity): number {
  return d.page_views + d.high_intent_page_views + d.form_starts + d.form_submits;
}

const DAY_MS = 86_400_000;
const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 for a YYYY-MM-DD day; throws a RangeError on anything else. */
export function dayNumber(day: string): number {
  const ms = DAY_SHAPE.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`expected a YYYY-MM-DD day, got ${JSON.stringify(day)}`);
  }
  return ms / DAY_MS;
}

/** YYYY-MM-DD of a day number (inverse of dayNumber). */
export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
