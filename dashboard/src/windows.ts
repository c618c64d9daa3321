// The report windows the dashboard offers. The API takes 7d/30d/90d; a year is asked as from/to
// (to defaults to today).
import type { WindowName } from "../../cli/client/client";
import { WINDOWS as API_WINDOWS } from "../../cli/client/enums";

export const REPORT_WINDOWS = [["7d", "Last 7 days"], ["30d", "Last 30 days"], ["90d", "Last 90 days"], ["365d", "Last 12 months"]] as const;

/** The API takes 7d/30d/90d; a year is asked as from/to (to defaults to today). */
export function windowQuery(w: string): { window?: WindowName; from?: string } {
  const named = API_WINDOWS.find((n) => n === w);
  if (named) return { window: named };
  return { from: new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10) };
}

export const MODEL_NAMES: Record<string, string> = {
  first_touch: "First touch",
  last_touch: "Last touch",
  linear: "Linear",
  u_shaped: "U-shaped",
  w_shaped: "W-shaped",
  time_decay: "Time decay",
  markov: "Markov (data-driven)",
};
