// Plain values the attribution models work on (SPEC §6 "Attribution"). Storage code builds
// them from sessions and the deals table; nothing in collector/revenue reads storage itself.

/** One session of one visitor of the account: its first page's channel, source, medium, campaign, landing page. */
export interface Touchpoint {
  visitor_id: string;
  session_id: string;
  /** session start, epoch ms */
  at: number;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
  /** every page path viewed in the session (the `page` grouping splits credit over them) */
  pages: string[];
  /** the session holding the visitor's first form submit or identify: W-shaped's lead creation */
  lead: boolean;
}

export interface Deal {
  id: string;
  account_id: string;
  amount: number;
  /** ISO 4217 code, e.g. "USD" */
  currency: string;
  /** epoch ms; W-shaped's opportunity creation is the last touch before it */
  created_at: number | null;
  /** epoch ms; the lookback window ends here */
  closed_at: number | null;
  won: boolean;
}

/** A touch's share of one deal; the weights of one deal sum to 1. */
export interface Credit {
  touch: Touchpoint;
  weight: number;
}

export const MODELS = ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov"] as const;
export type Model = (typeof MODELS)[number];

/** One visitor's or account's ordered channels, for the Markov model's transition counts. */
export interface Journey {
  path: string[];
  converted: boolean;
}

export const DAY_MS = 86_400_000;
export const DEFAULT_LOOKBACK_DAYS = 365;
