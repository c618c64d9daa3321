import { describe, expect, it } from "vitest";
import { campaignRows } from "../../../collector/marketing/campaigns";

const empty = { traffic: [], visitors: new Map(), engagement: [], spend: new Map(), spendSources: [], revenue: new Map(), pipeline: new Map() };

describe("campaignRows", () => {
  it("puts spend, engagement and credit side by side: cost per engaged account = spend ÷ engaged", () => {
    const rows = campaignRows({
      ...empty,
      traffic: [{ campaign: "spring", source: "google", medium: "cpc", sessions: 3 }, { campaign: "spring", source: "bing", medium: "cpc", sessions: 1 }],
      visitors: new Map([["spring", 3]]),
      engagement: [{ campaign: "spring", engaged: 2, new_engaged: 1 }],
      spend: new Map([["spring", { spend: 1_500, clicks: 600 }]]),
      revenue: new Map([["spring", { amount: 12_000, deals: 1 }], ["(none)", { amount: 3_000, deals: 1 }]]),
      pipeline: new Map([["spring", { amount: 20_000, deals: 2 }]]),
    });
    // (none) is credit to touches without a campaign: no row. Source: most of the sessions (google).
    expect(rows).toEqual([{
      key: "spring", source: "google", medium: "cpc", spend: 1_500, clicks: 600, visitors: 3, sessions: 4, engaged_accounts: 2, new_engaged_accounts: 1,
      cost_per_engaged_account: 750, opportunities: 2, pipeline: 20_000, revenue: 12_000, roas: 8, cost_per_visitor: 500, revenue_per_click: 20, cost_per_opportunity: 750,
    }]);
  });

  it("a campaign with spend and no visit or revenue: ROAS 0, its source from the spend; one without spend: nulls", () => {
    const rows = campaignRows({
      ...empty,
      traffic: [{ campaign: "organic-post", source: "linkedin", medium: "social", sessions: 1 }],
      visitors: new Map([["organic-post", 1]]),
      spend: new Map([["retarget", { spend: 300, clicks: 0 }]]),
      spendSources: [{ campaign: "retarget", source: "meta", medium: "paid_social", amount: 300 }],
    });
    expect(rows.map((r) => r.key)).toEqual(["retarget", "organic-post"]);
    expect(rows[0]).toMatchObject({ source: "meta", medium: "paid_social", spend: 300, visitors: 0, revenue: 0, roas: 0, cost_per_visitor: null, revenue_per_click: null, cost_per_engaged_account: null });
    expect(rows[1]).toMatchObject({ spend: null, clicks: null, roas: null, cost_per_visitor: null, cost_per_engaged_account: null });
  });
});
