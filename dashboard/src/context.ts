import type { FootholdClient } from "../../cli/client/client";
import type { ContentSort, CustomerPeriod, GroupBy, Model } from "../../cli/client/client";

/** What the user picked, kept while the tab lives so going back to a view restores it. */
export interface Prefs {
  window: "7d" | "30d" | "90d";
  segment: string;
  /** cursors of the pages before the current one; the current page's cursor is last */
  cursors: string[];
  coverageSegment: string;
  coveragePeriod: "week" | "month" | "quarter";
  revenueBy: GroupBy;
  revenueModel: Model;
  revenueWindow: string;
  pipelineBy: GroupBy;
  pipelineModel: Model;
  pipelineWindow: string;
  funnelWindow: string;
  /** "" or "channel": the funnel split by first touch */
  funnelBy: "" | "channel";
  customersPeriod: CustomerPeriod;
  plan: { revenue: string; per: "year" | "quarter" | "month"; deal_size: string; stages: string; rates: string };
  campaignsWindow: string;
  campaignsSegment: string;
  campaignsModel: Model;
  contentWindow: string;
  contentModel: Model;
  contentSort: ContentSort;
  /** as `cursors`, for the content ranking */
  contentCursors: string[];
}

export const defaultPrefs = (): Prefs => ({
  window: "30d",
  segment: "",
  cursors: [],
  coverageSegment: "target",
  coveragePeriod: "quarter",
  revenueBy: "channel",
  revenueModel: "linear",
  revenueWindow: "90d",
  pipelineBy: "channel",
  pipelineModel: "first_touch",
  pipelineWindow: "90d",
  funnelWindow: "90d",
  funnelBy: "",
  customersPeriod: "quarter",
  plan: { revenue: "10000000", per: "year", deal_size: "1100000", stages: "", rates: "" },
  campaignsWindow: "90d",
  campaignsSegment: "target",
  campaignsModel: "first_touch",
  contentWindow: "90d",
  contentModel: "first_touch",
  contentSort: "influenced_revenue",
  contentCursors: [],
});

export interface ViewContext {
  client: FootholdClient;
  prefs: Prefs;
  /** handles an API failure: a 401 signs out; anything else is shown in words by the view */
  fail(err: unknown, where: HTMLElement): void;
  /** a view left for another: late answers must not draw into a detached page */
  isCurrent(): boolean;
}
