// The management API's answers (SPEC §4), as the collector's route files shape them. Written by
// hand: routes are registered through `route()` (collector/http/routes.ts), which keeps no
// route schema on the Hono type, so `hc<typeof app>` would infer nothing to generate from.

export const SCOPES = ["read", "import", "export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
export type WindowName = "7d" | "30d" | "90d";

export const MODELS = ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov"] as const;
export type Model = (typeof MODELS)[number];
export const GROUP_BYS = ["channel", "source", "medium", "campaign", "landing_page", "page", "account_segment"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface Site {
  id: string;
  name: string;
  /** as stored and compared: IDNs in punycode ("xn--bcher-kva.example") */
  domains: string[];
  /** the same, as people read them ("bücher.example") */
  domains_unicode?: string[];
  write_key: string;
}

export interface CreatedKey {
  id: string;
  name: string;
  scopes: Scope[];
  /** shown once */
  key: string;
}

export interface KeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  revoked_at?: string | null;
}

export interface AccountSummary {
  domain: string;
  name: string | null;
  segment: string | null;
  score: number;
  visitors: number;
  people: number;
  sessions: number;
  pageviews: number;
  form_submits: number;
  engaged_seconds: number;
  first_seen: string | null;
  last_seen: string | null;
  surging: boolean;
  /** only when asked for with series=daily */
  daily?: AccountDay[];
}

export interface DayRange {
  from: string;
  to: string;
}

export interface AccountsPage {
  window: DayRange;
  accounts: AccountSummary[];
  next_cursor: string | null;
}

/** One day with activity of an account's daily series (days left out count zero). */
export interface AccountDay {
  day: string;
  sessions: number;
  pageviews: number;
  high_intent_pageviews: number;
  form_starts: number;
  form_submits: number;
  engaged_seconds: number;
  events: number;
}

export interface AccountDaily extends AccountDay {
  visitors: number;
}

export interface AccountDetail {
  account: { domain: string; name: string | null; segment: string | null; crm_id: string | null; domains: string[]; asns: number[] };
  window: DayRange;
  counts: {
    visitors: number;
    people: number;
    sessions: number;
    pageviews: number;
    high_intent_pageviews: number;
    form_starts: number;
    form_submits: number;
    engaged_seconds: number;
    events: number;
    first_seen: string | null;
    last_seen: string | null;
  };
  score: { value: number; as_of: string; half_life_days: number; components: Record<string, number> };
  surging: boolean;
  daily: AccountDaily[];
  top_pages: Array<{ path: string; views: number; visitors: number }>;
  people: Array<{ id: string; email_domain: string | null; first_seen: string | null; last_seen: string | null; devices: number }>;
  visitors: Array<{ anonymous_id: string; person_id: string | null; method: string; confidence: number; first_seen: string | null; last_seen: string | null }>;
}

export interface TimelineItem {
  at: string;
  kind: string;
  anonymous_id: string | null;
  person_id: string | null;
  [detail: string]: unknown;
}

export interface Timeline {
  account: { domain: string; name: string | null; segment: string | null };
  items: TimelineItem[];
  truncated: boolean;
}

export interface PeriodCoverage extends DayRange {
  accounts: number;
  engaged: number;
  share: number;
}

export interface CoverageReport {
  segment: string;
  period: "week" | "month" | "quarter";
  current: PeriodCoverage;
  previous: PeriodCoverage;
}

export interface RevenueRow {
  key: string;
  visitors: number;
  sessions: number;
  revenue: number;
  revenue_per_visitor: number | null;
}

export interface RevenueReport {
  by: GroupBy;
  model: Model;
  window: DayRange;
  currency: string | null;
  /** the groups, revenue descending; the API ends them with the total row (key "total") */
  rows: RevenueRow[];
  total: RevenueRow;
  /** won revenue of deals whose account had no touchpoint in the lookback (part of the total) */
  unattributed: number;
  other_currencies: Record<string, number>;
  deals: number;
}

/** The groups without the total row the API appends to `rows`. */
export const groupRows = (r: RevenueReport): RevenueRow[] =>
  r.rows.length > 0 && r.rows[r.rows.length - 1].key === "total" ? r.rows.slice(0, -1) : r.rows;

/** PUT /v1/accounts and PUT /v1/deals: counts plus the refused rows (1-based within the request). */
export interface ImportResult {
  created: number;
  updated: number;
  invalid: number;
  errors: Array<{ row: number; reason: string }>;
  /** accounts: visitors whose account changed because of the import */
  re_resolved?: number;
  /** deals: accounts created for unknown domains */
  accounts_created?: string[];
}

export interface ExportFile {
  /** object key, e.g. events/dt=2026-03-01/part-0.parquet */
  key: string;
  dt: string;
  rows: number;
  bytes: number;
  first_seq: number;
  last_seq: number;
  /** path on the collector to download it from */
  url: string;
}

export interface ExportStream {
  cursor: number;
  rows: number;
  files: ExportFile[];
}

/** GET /v1/export/files: the manifest, one ledger per stream. */
export interface ExportFiles {
  updated_at: string;
  events: ExportStream;
  rejects: ExportStream;
}
