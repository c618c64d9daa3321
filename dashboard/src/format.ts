// How numbers read on the dashboard: pure, so the unit tests pin them down.

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12345.6 → "12,346" */
export const count = (n: number): string => grouped.format(n);

/** Scores: one decimal under 100, whole numbers above; 0 stays "0". */
export function scoreText(n: number): string {
  if (n === 0) return "0";
  return n < 100 ? n.toFixed(1) : grouped.format(n);
}

/** 137.5, "USD" → "$137.50"; null (no visitors) → "—". */
export function money(n: number | null | undefined, currency = "USD"): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  } catch {
    // an ISO code Intl does not know: plain number with the code after it
    return `${n.toFixed(2)} ${currency}`;
  }
}

/** Axis labels: 12500, "USD" → "$12.5K"; 40 → "$40". */
export function moneyShort(n: number, currency = "USD"): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(n);
  } catch {
    return `${n} ${currency}`;
  }
}

/** Attributed deal counts are fractions under multi-touch models: 2 → "2", 0.6333 → "0.63". */
export const dealCount = (n: number): string => (Number.isInteger(n) ? grouped.format(n) : n.toFixed(2));

/** Planned counts: whole numbers from 100 up, else three significant digits (9.09, 0.758). */
export const planned = (n: number): string => (n >= 100 ? grouped.format(n) : n.toPrecision(3));

/** Median days: 6.6 → "6.6 days", 1 → "1.0 day"; null → "—". */
export const daysText = (d: number | null): string => (d === null ? "—" : `${d.toFixed(1)} day${d === 1 ? "" : "s"}`);

/** 0.4166 → "41.7%" */
export const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/** Difference of two shares in percentage points: 0.5 vs 0.25 → "+25.0 pts". */
export function pointsDelta(current: number, previous: number): string {
  const d = (current - previous) * 100;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  return `${sign}${Math.abs(d).toFixed(1)} pts`;
}

/** Engaged time: 45 → "45s", 754 → "12m 34s", 7260 → "2h 1m". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** "2026-03-05T14:07:00Z" → "5 Mar 2026, 14:07 UTC"; a bare day stays a day. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (iso.length === 10) return day;
  return `${day}, ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Every day from..to inclusive (YYYY-MM-DD, UTC), so a sparkline shows quiet days as zero. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < 1000; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** A daily series over the whole window: days with no row count 0. */
export function denseSeries(days: readonly string[], rows: ReadonlyArray<{ day: string; events: number }>): number[] {
  const byDay = new Map(rows.map((r) => [r.day, r.events]));
  return days.map((d) => byDay.get(d) ?? 0);
}

/** "landing_page" → "Landing page" */
export const label = (key: string): string => (key.charAt(0).toUpperCase() + key.slice(1)).replace(/_/g, " ");
