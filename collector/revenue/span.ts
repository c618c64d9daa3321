import { DAY_MS } from "./types";

/** A window of whole UTC days (inclusive) as the [from, to) instants storage reads. */
export const daySpan = (w: { from: string; to: string }): { from: string; to: string } => ({
  from: `${w.from}T00:00:00.000Z`,
  to: new Date(Date.parse(`${w.to}T00:00:00Z`) + DAY_MS).toISOString(),
});
