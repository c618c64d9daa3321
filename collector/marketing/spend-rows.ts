// PUT /v1/spend rows: JSON objects or CSV records → validated spend rows, or the reason a row is
// refused. Pure: the channel of a row that names none is classified by the caller's rules.
import { csvRecords } from "../csv";
import { CHANNELS, type Channel } from "../events";

export interface SpendInput {
  /** 1-based position of the row in the request */
  row: number;
  /** YYYY-MM-DD */
  date: string;
  channel: Channel;
  /** "" when the row has none: the upsert key needs a value */
  source: string;
  medium: string;
  campaign: string;
  amount: number;
  /** ISO 4217, upper case */
  currency: string;
  clicks: number;
  impressions: number;
}

export interface RowError {
  row: number;
  reason: string;
}

/** The channel a visit tagged with this source and medium would get (the deployment's rules). */
export type ClassifyChannel = (source: string | null, medium: string | null) => Channel;

export const MAX_SPEND_ROWS = 10_000;
export const SPEND_COLUMNS = ["date", "channel", "source", "medium", "campaign", "amount", "currency", "clicks", "impressions"] as const;
/** UTM values are kept to 200 characters at ingest (collector/ingest/enrich/campaign.ts): so here. */
const MAX_TEXT = 200;
const MAX_AMOUNT = 1e12;
const MAX_COUNT = 1e12;
const CHANNEL_BY_LOWER = new Map<string, Channel>(CHANNELS.map((c) => [c.toLowerCase(), c]));

/** CSV with a header row naming the columns (any order, case-insensitive). */
export function spendRecordsFromCsv(text: string): Record<string, string>[] | { error: string } {
  const { columns, records } = csvRecords(text);
  const missing = ["date", "amount", "currency"].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return { error: `The CSV needs a header row with the columns ${SPEND_COLUMNS.join(", ")}; missing: ${missing.join(", ")}.` };
  }
  return records;
}

/** Validates one record; a row with any bad value is refused whole. */
export function spendInput(record: unknown, row: number, classify: ClassifyChannel): SpendInput | RowError {
  const fail = (reason: string): RowError => ({ row, reason });
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return fail(`A row must be an object with ${SPEND_COLUMNS.join(", ")}.`);
  }
  const r = record as Record<string, unknown>;
  const date = dayOf(r.date);
  if (date === null) return fail(`\`date\` must be a day as YYYY-MM-DD (got ${show(r.date)}).`);

  const values: Record<"source" | "medium" | "campaign", string | null> = { source: null, medium: null, campaign: null };
  for (const name of ["source", "medium", "campaign"] as const) {
    const v = text(r[name]);
    if (v !== null && v.length > MAX_TEXT) return fail(`\`${name}\` may be at most ${MAX_TEXT} characters.`);
    values[name] = v;
  }

  const given = text(r.channel);
  let channel: Channel;
  if (given !== null) {
    const known = CHANNEL_BY_LOWER.get(given.toLowerCase());
    if (!known) return fail(`\`channel\` must be one of ${CHANNELS.join(", ")} (got ${show(r.channel)}).`);
    channel = known;
  } else {
    // Without source or medium there is nothing to classify: the spend would land on Direct.
    if (values.source === null && values.medium === null) return fail("`channel` is required unless `source` or `medium` say where the ads ran.");
    channel = classify(values.source, values.medium);
  }

  const amount = numberOf(r.amount);
  if (amount === null || amount > MAX_AMOUNT) {
    return fail(`\`amount\` must be a number from 0 to ${MAX_AMOUNT}, without currency signs or thousands separators (got ${show(r.amount)}).`);
  }
  const currency = text(r.currency)?.toUpperCase() ?? null;
  if (currency === null) return fail("`currency` is required: an ISO 4217 code such as USD.");
  if (!/^[A-Z]{3}$/.test(currency)) return fail(`\`currency\` must be a three-letter ISO 4217 code such as USD (got ${show(r.currency)}).`);

  const counts: Record<"clicks" | "impressions", number> = { clicks: 0, impressions: 0 };
  for (const name of ["clicks", "impressions"] as const) {
    if (text(r[name]) === null) continue;
    const n = numberOf(r[name]);
    if (n === null || !Number.isInteger(n) || n > MAX_COUNT) return fail(`\`${name}\` must be a whole number of at least 0 (got ${show(r[name])}).`);
    counts[name] = n;
  }
  return {
    row, date, channel, source: values.source ?? "", medium: values.medium ?? "", campaign: values.campaign ?? "",
    amount, currency, clicks: counts.clicks, impressions: counts.impressions,
  };
}

/** The upsert key of a row, to find a second row for the same day and campaign in one import. */
export const spendKey = (s: { date: string; channel: string; source: string; medium: string; campaign: string }) =>
  JSON.stringify([s.date, s.channel, s.source, s.medium, s.campaign]);

function text(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return null;
  const s = v.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return s === "" ? null : s;
}

function numberOf(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** A real day: 2026-02-30 is refused, not rolled over into March. */
function dayOf(v: unknown): string | null {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return null;
  const s = v.trim();
  const [y, m, d] = s.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? s : null;
}

const show = (v: unknown) => (v === undefined || v === null || v === "" ? "nothing" : JSON.stringify(v).slice(0, 60));
