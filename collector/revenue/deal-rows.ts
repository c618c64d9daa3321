// PUT /v1/deals rows: JSON objects or CSV records → validated deals, or the reason a row is
// refused. Pure: which account a row names is decided later, by storage (domain or CRM id).
import { csvRecords } from "../csv";
import { DEAL_TYPES, type DealType, parseDealType } from "./deal-type";

export interface DealInput {
  /** 1-based position of the row in the request */
  row: number;
  id: string;
  /** the account as sent: a domain or a CRM id */
  account: string;
  amount: number;
  /** ISO 4217, upper case */
  currency: string;
  stage: string | null;
  /** ISO 8601 UTC (toISOString) */
  created_at: string | null;
  closed_at: string | null;
  won: boolean;
  /** as sent; null: from the account's won history (deal-type.ts) */
  type: DealType | null;
}

export interface RowError {
  row: number;
  reason: string;
}

export const MAX_DEAL_ROWS = 10_000;
export const DEAL_COLUMNS = ["id", "account", "amount", "currency", "stage", "created_at", "closed_at", "won", "type"] as const;
/** Larger amounts are a unit mix-up (cents as dollars), not a deal. */
const MAX_AMOUNT = 1e12;

/** CSV with a header row naming the columns (any order, case-insensitive). */
export function dealRecordsFromCsv(text: string): Record<string, string>[] | { error: string } {
  const { columns, records } = csvRecords(text);
  const missing = ["id", "account", "amount"].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return { error: `The CSV needs a header row with the columns ${DEAL_COLUMNS.join(", ")}; missing: ${missing.join(", ")}.` };
  }
  return records;
}

/** Validates one record; a row with any bad value is refused whole (nothing half-imported). */
export function dealInput(record: unknown, row: number): DealInput | RowError {
  const fail = (reason: string): RowError => ({ row, reason });
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return fail(`A row must be an object with ${DEAL_COLUMNS.join(", ")}.`);
  }
  const r = record as Record<string, unknown>;
  const id = text(r.id);
  if (id === null) return fail("`id` is required.");
  if (id.length > 200) return fail("`id` may be at most 200 characters.");
  const account = text(r.account);
  if (account === null) return fail("`account` is required: the account's domain or crm_id.");
  if (account.length > 253) return fail("`account` may be at most 253 characters.");

  const amount = amountOf(r.amount);
  if (amount === null) return fail(`\`amount\` must be a number from 0 to ${MAX_AMOUNT}, without currency signs or thousands separators (got ${show(r.amount)}).`);
  const currency = text(r.currency)?.toUpperCase() ?? null;
  if (currency === null) return fail("`currency` is required: an ISO 4217 code such as USD.");
  if (!/^[A-Z]{3}$/.test(currency)) return fail(`\`currency\` must be a three-letter ISO 4217 code such as USD (got ${show(r.currency)}).`);
  const stage = text(r.stage);
  if (stage !== null && stage.length > 100) return fail("`stage` may be at most 100 characters.");

  const created = instant(r.created_at);
  if (created === undefined) return fail(`\`created_at\` must be an ISO 8601 date or date-time (got ${show(r.created_at)}).`);
  const closed = instant(r.closed_at);
  if (closed === undefined) return fail(`\`closed_at\` must be an ISO 8601 date or date-time (got ${show(r.closed_at)}).`);
  if (created !== null && closed !== null && closed < created) return fail("`closed_at` is before `created_at`.");

  const won = flag(r.won);
  if (won === null) return fail(`\`won\` must be true or false (got ${show(r.won)}).`);
  // Revenue is counted in the window its deal closed in: a won deal without a close would vanish.
  if (won && closed === null) return fail("A won deal needs `closed_at`.");
  const type = parseDealType(r.type);
  if (type === undefined) return fail(`\`type\` must be ${DEAL_TYPES.join(" or ")}, or left empty to follow the account's won history (got ${show(r.type)}).`);
  return { row, id, account, amount, currency, stage, created_at: created, closed_at: closed, won, type };
}

function text(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return null;
  const s = v.trim();
  return s === "" ? null : s;
}

function amountOf(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_AMOUNT ? n : null;
}

/** null when absent, undefined when present but not a date. A bare date is midnight UTC. */
function instant(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return undefined;
  // A date-time without an offset is UTC (SPEC §4: times are UTC), not the machine's zone.
  const iso = s.length === 10 ? `${s}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s.replace(" ", "T") : `${s.replace(" ", "T")}Z`;
  // Date.parse may roll 2026-02-30 over to March: refuse days that do not exist.
  const [y, m, d] = s.slice(0, 10).split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function flag(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v !== "string") return null;
  const s = v.trim().toLowerCase();
  if (["true", "1", "yes", "won"].includes(s)) return true;
  if (["false", "0", "no", "lost"].includes(s)) return false;
  return null;
}

const show = (v: unknown) => (v === undefined || v === null || v === "" ? "nothing" : JSON.stringify(v).slice(0, 60));
