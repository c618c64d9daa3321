import { beforeAll, describe, expect, it } from "vitest";
import { call, createSite } from "./helpers";
import { DAY, journeys, json, put } from "./journeys";

// GET /v1/pipeline end to end in workerd: sessions through /v1/batch and the queue consumer,
// deals through PUT /v1/deals, and pipeline per channel under three models, worked out by hand.
//
// Days count from BASE (60 days ago, midnight UTC); the window is day 0 .. day 30. Sessions at 10:00.
//   a1 (Acme):    S1 day 0 Paid Search (google/cpc), S2 day 6 Organic Search, identifies (lead), S3 day 20 Direct
//   a2 (Acme):    S4 day 8 Email (newsletter/email), identifies
//   g1 (Globex):  S5 day 2 Referral (partner.example.org), identifies (lead), S6 day 12 Organic Search
//   i1 (Initech): S7 day −20 Organic Social (facebook), before the window but in the lookback
// Deals created in the window (created_at at midnight):
//   A-1 Acme 10,000 open, created day 22: journey S1 S2 S4 S3
//   A-2 Acme 6,000 won, created day 7, closed day 28: journey S1 S2
//   G-1 Globex 4,000 won, created day 15, closed day 22: journey S5 S6
//   I-1 Initech 2,000 open, created day 5; L-1 Initech 3,000 lost, created day 18: journey S7 each
//   H-1 Hooli 1,000 open, created day 12: Hooli has no sessions → unattributed
// Not in the window: X-1 Acme 50,000 won, created day −10; X-2 Globex 7,000 created day 40.
// Total: 6 deals, 26,000 of pipeline; won 2 deals, 10,000.

const now = new Date();
const BASE = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 60 * DAY;
const j = journeys("pl", BASE);
const WINDOW = `from=${j.dayOf(0)}&to=${j.dayOf(30)}`;

/** key → [deals, pipeline, won_deals, won_revenue] */
async function pipeline(query: string): Promise<Record<string, number[]>> {
  const body = await json(`/v1/pipeline?${query}&${WINDOW}`);
  return Object.fromEntries(body.rows.map((r: any) => [r.key, [r.deals, r.pipeline, r.won_deals, r.won_revenue]]));
}

beforeAll(async () => {
  j.useSite(await createSite(["example.com"]));
  await put("/v1/accounts", [
    { domain: "acme.com", name: "Acme" }, { domain: "globex.com", name: "Globex" },
    { domain: "initech.com", name: "Initech" }, { domain: "hooli.com", name: "Hooli" },
  ]);
  await j.send([
    j.page("a1", 0, "/blog?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
    j.page("a1", 6, "/pricing", "https://www.google.com/"),
    j.identify("a1", 6, "alice@acme.com"),
    j.page("a1", 20, "/pricing"),
    j.page("a2", 8, "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"),
    j.identify("a2", 8, "bob@acme.com"),
    j.page("g1", 2, "/", "https://partner.example.org/tools"),
    j.identify("g1", 2, "carol@globex.com"),
    j.page("g1", 12, "/docs", "https://www.google.com/"),
    j.page("i1", -20, "/", "https://www.facebook.com/"),
    j.identify("i1", -20, "dan@initech.com"),
  ]);
  const deals = await put("/v1/deals", [
    { id: "A-1", account: "acme.com", amount: 10_000, currency: "USD", stage: "proposal", created_at: j.dayOf(22), won: false },
    { id: "A-2", account: "acme.com", amount: 6_000, currency: "USD", stage: "closed_won", created_at: j.dayOf(7), closed_at: j.dayOf(28), won: true },
    { id: "G-1", account: "globex.com", amount: 4_000, currency: "USD", stage: "closed_won", created_at: j.dayOf(15), closed_at: j.dayOf(22), won: true },
    { id: "I-1", account: "initech.com", amount: 2_000, currency: "USD", stage: "discovery", created_at: j.dayOf(5), won: false },
    { id: "L-1", account: "initech.com", amount: 3_000, currency: "USD", stage: "closed_lost", created_at: j.dayOf(18), closed_at: j.dayOf(24), won: false },
    { id: "H-1", account: "hooli.com", amount: 1_000, currency: "USD", stage: "discovery", created_at: j.dayOf(12), won: false },
    { id: "X-1", account: "acme.com", amount: 50_000, currency: "USD", stage: "closed_won", created_at: j.dayOf(-10), closed_at: j.dayOf(5), won: true },
    { id: "X-2", account: "globex.com", amount: 7_000, currency: "USD", stage: "discovery", created_at: j.dayOf(40), won: false },
  ]);
  expect(deals).toMatchObject({ created: 8, invalid: 0 });
  await j.stored();
});

describe("GET /v1/pipeline", () => {
  it("totals every deal created in the window, open and won, with Hooli's unattributed", async () => {
    const body = await json(`/v1/pipeline?${WINDOW}`);
    expect(body).toMatchObject({ by: "channel", model: "first_touch", currency: "USD", deals: 6, lookback_days: 365 });
    expect(body.total).toEqual({ key: "total", deals: 6, pipeline: 26_000, won_deals: 2, won_revenue: 10_000 });
    expect(body.rows.at(-1)).toEqual(body.total);
    expect(body.unattributed).toEqual({ deals: 1, pipeline: 1_000, won_deals: 0, won_revenue: 0 });
  });

  it("first touch: each deal to its account's first session before the deal was created", async () => {
    // → S1 Paid Search; G-1 → S5 Referral; I-1, L-1 → S7 Organic Social
    expect(await pipeline("model=first_touch")).toEqual({
      "Paid Search": [2, 16_000, 1, 6_000],
      "Organic Social": [2, 5_000, 0, 0],
      Referral: [1, 4_000, 1, 4_000],
      total: [6, 26_000, 2, 10_000],
    });
  });

  it("linear: a deal shared evenly over the sessions before its creation (S3 is after A-2's)", async () => {
    // A-1 over S1 S2 S4 S3: 2,500 each; A-2 over S1 S2: 3,000 each (won); G-1 over S5 S6: 2,000 each (won)
    expect(await pipeline("model=linear")).toEqual({
      "Organic Search": [1.25, 7_500, 1, 5_000],
      "Paid Search": [0.75, 5_500, 0.5, 3_000],
      "Organic Social": [2, 5_000, 0, 0],
      Email: [0.25, 2_500, 0, 0],
      Direct: [0.25, 2_500, 0, 0],
      Referral: [0.5, 2_000, 0.5, 2_000],
      total: [6, 26_000, 2, 10_000],
    });
  });

  it("w_shaped: first touch, lead creation and the deal's creation (the last touch before it) 30% each", async () => {
    // A-1 (S1 S2 S4 S3): S1 first 30%, S2 a1's lead 30%, S3 last before creation 30%, S4 the other 10%:
    //   Paid 3,000, Organic 3,000, Direct 3,000, Email 1,000.
    // A-2 (S1 S2): S1 first 1/3; S2 lead and opportunity 2/3: Paid 2,000, Organic 4,000 (won).
    // G-1 (S5 S6): S5 first and g1's lead 2/3 = 2,666.67 Referral; S6 opportunity 1/3 = 1,333.33 Organic (won).
    expect(await pipeline("model=w_shaped")).toEqual({
      "Organic Search": [1.3, 8_333.33, 1, 5_333.33],
      "Organic Social": [2, 5_000, 0, 0],
      "Paid Search": [0.6333, 5_000, 0.3333, 2_000],
      Direct: [0.3, 3_000, 0, 0],
      Referral: [0.6667, 2_666.67, 0.6667, 2_666.67],
      Email: [0.1, 1_000, 0, 0],
      total: [6, 26_000, 2, 10_000],
    });
  });

  it("by campaign and by landing page", async () => {
    // first touch S1 (campaign brand, /blog) for; S5 and S7 have no campaign.
    expect(await pipeline("model=first_touch&by=campaign")).toMatchObject({ brand: [2, 16_000, 1, 6_000], "(none)": [3, 9_000, 1, 4_000] });
    expect(await pipeline("model=first_touch&by=landing_page")).toMatchObject({ "/blog": [2, 16_000, 1, 6_000], "/": [3, 9_000, 1, 4_000] });
  });

  it("never mixes currencies: 400 naming currency=, then the report in the one asked", async () => {
    await put("/v1/deals", [{ id: "E-1", account: "acme.com", amount: 900, currency: "EUR", created_at: j.dayOf(9), won: false }]);
    const mixed = await call(`/v1/pipeline?${WINDOW}`);
    expect(mixed.status).toBe(400);
    expect((await mixed.json<any>()).error).toEqual({ code: "mixed_currencies", message: "Deals created in this window are in several currencies (EUR, USD); choose one with currency=." });
    const usd = await json(`/v1/pipeline?currency=usd&${WINDOW}`);
    expect(usd.total.pipeline).toBe(26_000);
    expect(usd.other_currencies).toEqual({ EUR: 900 });
    const eur = await json(`/v1/pipeline?currency=EUR&${WINDOW}`);
    // E-1 over Acme's sessions before day 9: S1 first touch
    expect(eur.rows).toEqual([{ key: "Paid Search", deals: 1, pipeline: 900, won_deals: 0, won_revenue: 0 }, { key: "total", deals: 1, pipeline: 900, won_deals: 0, won_revenue: 0 }]);
  });

  it("answers 400 with a sentence for bad parameters, 401 without a key", async () => {
    for (const [query, word] of [["by=country", "by"], ["model=shapley", "model"], ["from=2026-02-30", "from"], ["currency=dollars", "currency"], ["stage=won", "stage"]]) {
      const r = await call(`/v1/pipeline?${query}`);
      expect(r.status, query).toBe(400);
      expect((await r.json<any>()).error.message, query).toContain(word);
    }
    expect((await call("/v1/pipeline", { token: null })).status).toBe(401);
  });
});
