// GET /v1/content: loads the window's page traffic, the pages the won deals' and the new deals'
// accounts viewed before them, and the model's credit per page, then ranks and pages them
// (content.ts). Not pure (it reads D1).
import { groupKeys } from "../revenue/groups";
import { DEFAULT_LOOKBACK_DAYS, type Deal, type Model } from "../revenue/types";
import { type InfluenceDeal, pageTraffic, pagesInfluenced, sessionPaths } from "../storage/marketing";
import { contentPage, type ContentCursor, type ContentRow, contentRows, type ContentSort } from "./content";
import { creditByKey, creditedTouches, type TouchesOf } from "./credit";
import { loadDealWindow } from "./deal-window";

export interface ContentQuery {
  window: { from: string; to: string };
  model: Model;
  sort: ContentSort;
  limit: number;
  after: ContentCursor | null;
  currency?: string;
}

export interface ContentAnswer {
  window: { from: string; to: string };
  model: Model;
  sort: ContentSort;
  currency: string | null;
  lookback_days: number;
  rows: ContentRow[];
  next_cursor: string | null;
  other_currencies: { revenue: Record<string, number>; pipeline: Record<string, number> };
}

const asOf = (deals: readonly Deal[], end: "closed_at" | "created_at"): InfluenceDeal[] =>
  deals.map((d) => ({ id: d.id, account_id: Number(d.account_id), amount: d.amount, end: new Date(d[end]!).toISOString() }));

export async function contentReport(d1: D1Database, q: ContentQuery): Promise<ContentAnswer> {
  // Only the won deals are attributed here: the new deals' pipeline is influence, read in SQL.
  const deals = await loadDealWindow(d1, { window: q.window, model: q.model, currency: q.currency, touchesFor: "won" });
  const credit = { model: q.model, effects: deals.effects, end: "closed" as const };
  const credited = creditedTouches(deals.won, deals.touchesOf, credit);
  const [traffic, won, pipeline, paths] = await Promise.all([
    pageTraffic(d1, deals.range),
    pagesInfluenced(d1, asOf(deals.won, "closed_at"), DEFAULT_LOOKBACK_DAYS),
    pagesInfluenced(d1, asOf(deals.created, "created_at"), DEFAULT_LOOKBACK_DAYS),
    sessionPaths(d1, credited.map((t) => ({ anonymous_id: t.visitor_id, id: Number(t.session_id) }))),
  ]);
  // The credited touches with their pages: the "page" grouping splits a touch's credit over them.
  const withPages: TouchesOf = (deal, end) => deals.touchesOf(deal, end).map((t) => (paths.has(t.session_id) ? { ...t, pages: paths.get(t.session_id)! } : t));
  const attributed = creditByKey(deals.won, withPages, { ...credit, keysOf: groupKeys("page") });
  const page = contentPage(contentRows({ traffic, won, pipeline, attributed }), q.sort, q.limit, q.after);
  return {
    window: q.window,
    model: q.model,
    sort: q.sort,
    currency: deals.currency,
    lookback_days: DEFAULT_LOOKBACK_DAYS,
    ...page,
    other_currencies: deals.other,
  };
}
