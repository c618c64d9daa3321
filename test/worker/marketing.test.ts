import { beforeAll, describe, expect, it } from "vitest";
import { basic, call, createSite, exportAll } from "./helpers";

// Spend and return, campaigns, content and deal journeys end to end inside workerd: spend and
// deals in through PUT /v1/spend and /v1/deals, visits through the Segment API, resolved by
// identify, then the reports, with every figure worked out by hand below.
//
// Days count from BASE (100 days ago, midnight UTC); page views at 10:00 + the minutes given.
// The window is days 40 .. 70.
//   g1 (Globex, target):   day 10 Direct /, identifies bob@globex.com; day 47 campaign spring
//                          (google/cpc → Paid Search) /landing
//   a1 (Acme, target):     day 45 spring /landing, /features (10:02); day 50 Organic Search /pricing,
//                          identifies alice@acme.com; day 60 Direct /case-study at 11:50 and /careers
//                          at 12:10 (one session across the close); day 62 Direct /docs
//   h1 (Hooli, customer):  day 20 Direct /blog, identifies carol@hooli.com; day 49 Direct /pricing and
//                          a form submit at 10:01
//   i1 (Initech, customer): day 56 campaign summer (linkedin/paid_social → Paid Social) /webinar, identifies
// Deals: A-1 Acme 12,000 won, created day 52, closed day 60 12:00; G-1 Globex 5,000 won, created day 55,
// closed day 65; H-1 Hooli 3,000 won, created day 30, closed day 50 10:00 (all USD).
// Spend: spring day 45 1,000 (400 clicks), day 46 500 (200 clicks); summer day 55 800 (100 clicks).

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOME = { asn: 7922, asOrganization: "Comcast Cable Communications, LLC", country: "US" };
const DAY = 86_400_000;
const now = new Date();
const BASE = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 100 * DAY;
const at = (day: number, minute = 0) => new Date(BASE + day * DAY + (10 * 60 + minute) * 60_000).toISOString();
const dayOf = (day: number) => new Date(BASE + day * DAY).toISOString().slice(0, 10);
const WINDOW = `from=${dayOf(40)}&to=${dayOf(70)}`;
const SPRING = "utm_source=google&utm_medium=cpc&utm_campaign=spring";
const SUMMER = "utm_source=linkedin&utm_medium=paid_social&utm_campaign=summer";

let n = 0;
const page = (anon: string, when: string, url: string, referrer?: string) => ({
  type: "page", messageId: `mk${++n}`, anonymousId: anon, timestamp: when, properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) },
});
const identify = (anon: string, when: string, email: string) => ({ type: "identify", messageId: `mk${++n}`, anonymousId: anon, timestamp: when, traits: { email } });
const formSubmit = (anon: string, when: string) => ({ type: "track", event: "form_submit", messageId: `mk${++n}`, anonymousId: anon, timestamp: when, properties: { form: "demo-request", fields: ["email"] } });

const EVENTS = [
  page("g1", at(10), "/"),
  identify("g1", at(10, 1), "bob@globex.com"),
  page("g1", at(47), `/landing?${SPRING}`),
  page("a1", at(45), `/landing?${SPRING}`),
  page("a1", at(45, 2), "/features"),
  page("a1", at(50), "/pricing", "https://www.google.com/"),
  identify("a1", at(50, 1), "alice@acme.com"),
  page("a1", at(60, 110), "/case-study"),
  page("a1", at(60, 130), "/careers"),
  page("a1", at(62), "/docs"),
  page("h1", at(20), "/blog"),
  identify("h1", at(20, 1), "carol@hooli.com"),
  page("h1", at(49), "/pricing"),
  formSubmit("h1", at(49, 1)),
  page("i1", at(56), `/webinar?${SUMMER}`),
  identify("i1", at(56, 1), "dan@initech.com"),
];

const json = async (path: string) => {
  const r = await call(path);
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json() as Promise<any>;
};
const put = (path: string, body: string, type = "application/json") => call(path, { method: "PUT", body, headers: { "content-type": type } });

beforeAll(async () => {
  const site = await createSite(["example.com"]);
  const accounts = await put("/v1/accounts", JSON.stringify([
    { domain: "acme.com", name: "Acme", segment: "target" },
    { domain: "globex.com", name: "Globex", segment: "target" },
    { domain: "hooli.com", name: "Hooli", segment: "customer" },
    { domain: "initech.com", name: "Initech", segment: "customer" },
  ]));
  expect(accounts.status).toBe(200);
  const r = await call("/v1/batch", {
    method: "POST", token: null, cf: HOME, body: JSON.stringify({ batch: EVENTS }),
    headers: { authorization: basic(site.write_key), origin: "https://example.com", "user-agent": CHROME },
  });
  expect(r.status).toBe(200);
  const deals = await put("/v1/deals", JSON.stringify([
    { id: "A-1", account: "acme.com", amount: 12_000, currency: "USD", stage: "closed_won", created_at: dayOf(52), closed_at: at(60, 120), won: true },
    { id: "G-1", account: "globex.com", amount: 5_000, currency: "USD", stage: "closed_won", created_at: dayOf(55), closed_at: dayOf(65), won: true },
    { id: "H-1", account: "hooli.com", amount: 3_000, currency: "USD", stage: "closed_won", created_at: dayOf(30), closed_at: at(50), won: true },
  ]));
  expect((await deals.json<any>()).created).toBe(3);
  for (let i = 0; i < 40 && (await exportAll()).length < EVENTS.length; i++) await new Promise((r) => setTimeout(r, 500));
});

describe("PUT /v1/spend", () => {
  it("takes JSON: classifies a row without a channel from its source and medium, names the refused rows", async () => {
    const r = await put("/v1/spend", JSON.stringify([
      { date: dayOf(45), source: "google", medium: "cpc", campaign: "spring", amount: 1_000, currency: "usd", clicks: 400, impressions: 9_000 },
      { date: dayOf(46), source: "google", medium: "cpc", campaign: "spring", amount: 999, currency: "USD", clicks: 1 },
      { date: "2026-02-30", channel: "Paid Search", amount: 5, currency: "USD" },
      { date: dayOf(46), channel: "Google Ads", amount: 5, currency: "USD" },
      { date: dayOf(46), campaign: "spring", amount: 5, currency: "USD" },
      { date: dayOf(46), channel: "Display", amount: "1,000", currency: "USD" },
      { date: dayOf(45), channel: "Paid Search", source: "google", medium: "cpc", campaign: "spring", amount: 1, currency: "USD" },
    ]));
    expect(r.status).toBe(200);
    const body = await r.json<any>();
    expect(body).toMatchObject({ created: 2, updated: 0, invalid: 5 });
    expect(body.errors.map((e: any) => e.row)).toEqual([3, 4, 5, 6, 7]);
    const reasons = body.errors.map((e: any) => e.reason);
    expect(reasons[0]).toContain("`date`");
    expect(reasons[1]).toContain("`channel` must be one of Direct");
    expect(reasons[2]).toContain("`channel` is required unless `source` or `medium`");
    expect(reasons[3]).toContain("`amount`");
    // Row 7 is row 1's key once its channel is classified (google/cpc → Paid Search).
    expect(reasons[4]).toContain("Row 1 of this import already has spend");
  });

  it("takes CSV and upserts by day and campaign: day 46 is replaced, summer is new", async () => {
    const csv = [
      "date,channel,source,medium,campaign,amount,currency,clicks,impressions",
      `${dayOf(46)},,google,cpc,spring,500.00,USD,200,4000`,
      `${dayOf(55)},paid social,linkedin,paid_social,summer,800,USD,100,`,
    ].join("\n");
    const r = await put("/v1/spend", csv, "text/csv");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ created: 1, updated: 1, invalid: 0, errors: [] });
  });

  it("refuses a body that is not a list, a CSV without its columns, and a key without the import scope", async () => {
    expect((await put("/v1/spend", JSON.stringify({ date: dayOf(1) }))).status).toBe(400);
    const noColumns = await put("/v1/spend", "day,cost\nx,1", "text/csv");
    expect(noColumns.status).toBe(400);
    expect((await noColumns.json<any>()).error.message).toMatch(/date, amount, currency/);
    const key = await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "reader", scopes: ["read"] }) });
    const reader = (await key.json<any>()).key;
    expect((await call("/v1/spend", { method: "PUT", token: reader, body: "[]" })).status).toBe(403);
  });
});

describe("GET /v1/revenue with spend", () => {
  it("gives campaign rows with spend their return columns, and the total its medians", async () => {
    const body = await json(`/v1/revenue?by=campaign&model=first_touch&${WINDOW}`);
    const rows = Object.fromEntries(body.rows.map((r: any) => [r.key, r]));
    // spring: A-1's 12,000 (first touch day 45); 1,500 spent over 600 clicks; visitors a1 and g1.
    // ROAS 12,000 / 1,500 = 8; per visitor 1,500 / 2 = 750; per click 12,000 / 600 = 20.
    expect(rows.spring).toEqual({ key: "spring", visitors: 2, sessions: 2, revenue: 12_000, revenue_per_visitor: 6_000, spend: 1_500, clicks: 600, roas: 8, cost_per_visitor: 750, revenue_per_click: 20 });
    // summer: spend, no revenue → ROAS 0.
    expect(rows.summer).toMatchObject({ revenue: 0, spend: 800, clicks: 100, roas: 0, cost_per_visitor: 800, revenue_per_click: 0 });
    // (none) — G-1 and H-1 were first touched without a campaign — has no spend, so no columns.
    expect(rows["(none)"]).toEqual({ key: "(none)", visitors: 2, sessions: 4, revenue: 8_000, revenue_per_visitor: 4_000 });
    // Total: 20,000 over 2,300 spent = 8.6957; 4 visitors → 575 each; 700 clicks → 28.57.
    // Journeys: A-1 day 45 10:00 → day 60 12:00 = 15.1 days, 3 sessions; H-1 day 20 → day 50 = 30 days, 2;
    // G-1 day 10 → day 65 00:00 = 54.6 days, 2. Medians 30 days and 2 touches.
    expect(body.total).toMatchObject({ revenue: 20_000, visitors: 4, spend: 2_300, clicks: 700, roas: 8.6957, cost_per_visitor: 575, revenue_per_click: 28.57, median_days_to_close: 30, median_touches: 2 });
  });

  it("matches spend by channel too: spring's rows classified Paid Search, summer's named paid social", async () => {
    const body = await json(`/v1/revenue?by=channel&model=first_touch&${WINDOW}`);
    const rows = Object.fromEntries(body.rows.map((r: any) => [r.key, r]));
    expect(rows["Paid Search"]).toMatchObject({ revenue: 12_000, spend: 1_500, roas: 8 });
    expect(rows["Paid Social"]).toMatchObject({ revenue: 0, spend: 800, roas: 0 });
    expect(rows.Direct.spend).toBeUndefined();
  });
});

describe("GET /v1/pipeline with spend", () => {
  it("gives pipeline rows with spend their return columns on the won part and the cost per opportunity", async () => {
    const body = await json(`/v1/pipeline?by=campaign&model=first_touch&${WINDOW}`);
    const rows = Object.fromEntries(body.rows.map((r: any) => [r.key, r]));
    // Created in the window: A-1 (day 52, first touch spring on day 45) and G-1 (day 55, first touch
    // Direct on day 10); H-1 was created on day 30. Both are won by now.
    // spring: 1,500 spent over 600 clicks; ROAS 12,000 / 1,500 = 8; per click 20; per opportunity 1,500 / 1.
    expect(rows.spring).toEqual({ key: "spring", deals: 1, pipeline: 12_000, won_deals: 1, won_revenue: 12_000, spend: 1_500, clicks: 600, roas: 8, cost_per_visitor: null, revenue_per_click: 20, cost_per_opportunity: 1_500 });
    expect(rows["(none)"]).toEqual({ key: "(none)", deals: 1, pipeline: 5_000, won_deals: 1, won_revenue: 5_000 });
    // summer has spend but no pipeline row. Total: 2,300 spent, 700 clicks, 2 opportunities:
    // ROAS 17,000 / 2,300 = 7.3913; per click 24.29; per opportunity 1,150.
    expect(body.total).toEqual({ key: "total", deals: 2, pipeline: 17_000, won_deals: 2, won_revenue: 17_000, spend: 2_300, clicks: 700, roas: 7.3913, cost_per_visitor: null, revenue_per_click: 24.29, cost_per_opportunity: 1_150 });
  });
});

describe("GET /v1/campaigns", () => {
  it("spring: spend, engaged target accounts (Acme new, Globex visited 37 days before), pipeline, revenue, ROAS", async () => {
    const body = await json(`/v1/campaigns?segment=target&${WINDOW}`);
    expect(body).toMatchObject({ model: "first_touch", segment: "target", currency: "USD", window: { from: dayOf(40), to: dayOf(70) } });
    expect(body.rows.map((r: any) => r.key)).toEqual(["spring", "summer"]);
    expect(body.rows[0]).toEqual({
      key: "spring", source: "google", medium: "cpc", spend: 1_500, clicks: 600, visitors: 2, sessions: 2,
      // engaged 2, newly engaged 1 (Globex's day-10 visit is inside the 90 days before day 47); 1,500 / 2 = 750
      engaged_accounts: 2, new_engaged_accounts: 1, cost_per_engaged_account: 750,
      // A-1 was created day 52, first touched by spring: pipeline and revenue 12,000; 1,500 per opportunity
      opportunities: 1, pipeline: 12_000, revenue: 12_000, roas: 8, cost_per_visitor: 750, revenue_per_click: 20, cost_per_opportunity: 1_500,
    });
    // summer reached only Initech, a customer: no engaged target account, no revenue → ROAS 0.
    expect(body.rows[1]).toMatchObject({ key: "summer", source: "linkedin", medium: "paid_social", spend: 800, visitors: 1, engaged_accounts: 0, new_engaged_accounts: 0, cost_per_engaged_account: null, revenue: 0, roas: 0, cost_per_opportunity: null });
    // 12,000 over 2,300 spent
    expect(body.totals).toEqual({ spend: 2_300, pipeline: 12_000, revenue: 12_000, roas: 5.2174 });
  });

  it("counts every account without a segment, and follows the model", async () => {
    const all = await json(`/v1/campaigns?${WINDOW}`);
    expect(all.rows[1]).toMatchObject({ key: "summer", engaged_accounts: 1, new_engaged_accounts: 1, cost_per_engaged_account: 800 });
    // Linear revenue: A-1's 12,000 over its 3 touches (spring, then two without a campaign) → 4,000, and
    // G-1's 5,000 over g1's 2 (day 10, spring on day 47) → 2,500: 6,500, ROAS 6,500 / 1,500 = 4.3333.
    // Pipeline as of creation: A-1 (day 52) has 2 touches (days 45, 50) → 6,000 and ½ deal; G-1 (day 55)
    // 2 touches → 2,500 and ½: 8,500 over 1 opportunity → 1,500 per opportunity.
    const linear = await json(`/v1/campaigns?model=linear&${WINDOW}`);
    expect(linear.rows[0]).toMatchObject({ key: "spring", revenue: 6_500, roas: 4.3333, pipeline: 8_500, opportunities: 1, cost_per_opportunity: 1_500 });
    // Last touch: A-1's last session before its close (day 60) and before its creation (day 50) have no
    // campaign; G-1's last before both is g1's spring visit on day 47 → revenue and pipeline 5,000.
    const last = await json(`/v1/campaigns?model=last_touch&${WINDOW}`);
    expect(last.rows.find((r: any) => r.key === "spring")).toMatchObject({ revenue: 5_000, pipeline: 5_000, opportunities: 1, roas: 3.3333 });
  });
});

describe("GET /v1/content", () => {
  it("shows each page a won account viewed before the close as influenced, and not a page viewed after it", async () => {
    const body = await json(`/v1/content?limit=50&${WINDOW}`);
    const rows = Object.fromEntries(body.rows.map((r: any) => [r.key, r]));
    // A-1 (Acme, closed day 60 12:00): /landing, /features, /pricing, /case-study (11:50); not /careers
    // (12:10, the same session) nor /docs (day 62). G-1 (Globex): /, /landing. H-1 (Hooli): /blog, /pricing.
    expect(rows["/landing"]).toMatchObject({ visitors: 2, views: 2, influenced_deals: 2, influenced_revenue: 17_000, deals: ["A-1", "G-1"] });
    expect(rows["/pricing"]).toMatchObject({ visitors: 2, views: 2, influenced_deals: 2, influenced_revenue: 15_000, deals: ["A-1", "H-1"] });
    expect(rows["/case-study"]).toMatchObject({ influenced_deals: 1, influenced_revenue: 12_000, deals: ["A-1"] });
    expect(rows["/features"]).toMatchObject({ influenced_deals: 1, influenced_revenue: 12_000 });
    // Viewed before the window, still inside the lookback of a deal closed in it.
    expect(rows["/blog"]).toMatchObject({ visitors: 0, views: 0, influenced_deals: 1, influenced_revenue: 3_000 });
    expect(rows["/careers"]).toMatchObject({ visitors: 1, views: 1, influenced_deals: 0, influenced_revenue: 0, deals: [] });
    expect(rows["/docs"]).toMatchObject({ influenced_deals: 0, influenced_revenue: 0 });
    // First touch, split over the session's pages: A-1's day-45 session (/landing, /features) 6,000 each;
    // G-1's day-10 session (/) 5,000; H-1's day-20 session (/blog) 3,000.
    expect([rows["/landing"], rows["/features"], rows["/"], rows["/blog"], rows["/pricing"]].map((r) => r.attributed_revenue)).toEqual([6_000, 6_000, 5_000, 3_000, 0]);
    // Pipeline: A-1 as of its creation (day 52) had seen /landing, /features, /pricing; G-1 (day 55) /, /landing.
    expect([rows["/landing"], rows["/features"], rows["/pricing"], rows["/"], rows["/case-study"]].map((r) => r.influenced_pipeline)).toEqual([17_000, 12_000, 12_000, 5_000, 0]);
    // Linear: A-1's 4,000 for its day-45 session → 2,000 each to /landing and /features; G-1's 5,000 over
    // g1's two sessions → 2,500 to / and 2,500 to /landing.
    const linear = Object.fromEntries((await json(`/v1/content?model=linear&${WINDOW}`)).rows.map((r: any) => [r.key, r.attributed_revenue]));
    expect([linear["/landing"], linear["/features"], linear["/"]]).toEqual([4_500, 2_000, 2_500]);
  });

  it("ranks by influenced revenue (ties by path) and pages with a cursor", async () => {
    const first = await json(`/v1/content?limit=4&${WINDOW}`);
    expect(first.rows.map((r: any) => r.key)).toEqual(["/landing", "/pricing", "/case-study", "/features"]);
    const second = await json(`/v1/content?limit=4&cursor=${first.next_cursor}&${WINDOW}`);
    expect(second.rows.map((r: any) => r.key)).toEqual(["/", "/blog", "/careers", "/docs"]);
    const third = await json(`/v1/content?limit=4&cursor=${second.next_cursor}&${WINDOW}`);
    expect(third.rows.map((r: any) => r.key)).toEqual(["/webinar"]);
    expect(third.next_cursor).toBeNull();
    const byViews = await json(`/v1/content?sort=views&limit=2&${WINDOW}`);
    expect(byViews.rows.map((r: any) => [r.key, r.views])).toEqual([["/landing", 2], ["/pricing", 2]]);
    const bad = await call(`/v1/content?cursor=nonsense&${WINDOW}`);
    expect(bad.status).toBe(400);
  });
});

describe("GET /v1/deals/:id/journey", () => {
  it("H-1: two sessions over 30 days with one person, every page view and the form", async () => {
    const j = await json("/v1/deals/H-1/journey");
    expect(j.deal).toMatchObject({ id: "H-1", amount: 3_000, won: true, account: { domain: "hooli.com", name: "Hooli", segment: "customer" } });
    expect(j).toMatchObject({ first_touch_at: at(20), days_to_close: 30, touches: 2, people: 1, visitors: 1, channels: ["Direct"], truncated: false });
    expect(j.events.map((e: any) => [e.at, e.kind, e.kind === "page_view" ? e.path : e.form])).toEqual([
      [at(20), "page_view", "/blog"],
      [at(49), "page_view", "/pricing"],
      [at(49, 1), "form_submit", "demo-request"],
    ]);
    const people = new Set(j.events.map((e: any) => e.person_id));
    expect(people.size).toBe(1);
    expect([...people][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(j.touchpoints.map((t: any) => t.session_id)).toEqual([...new Set(j.events.map((e: any) => e.session_id))]);
  });

  it("A-1: stops at the close inside a session, and orders the channels as first used", async () => {
    const j = await json("/v1/deals/A-1/journey");
    expect(j).toMatchObject({ first_touch_at: at(45), days_to_close: 15.1, touches: 3, people: 1, channels: ["Paid Search", "Organic Search", "Direct"] });
    expect(j.events.map((e: any) => e.path)).toEqual(["/landing", "/features", "/pricing", "/case-study"]);
  });

  it("answers 404 for a deal it does not know", async () => {
    const r = await call("/v1/deals/NOPE/journey");
    expect(r.status).toBe(404);
    expect((await r.json<any>()).error.code).toBe("not_found");
  });
});

describe("currencies", () => {
  it("never adds spend in another currency: 400 without currency=, set aside with it", async () => {
    const r = await put("/v1/spend", JSON.stringify([{ date: dayOf(47), channel: "Paid Search", source: "google", medium: "cpc", campaign: "spring", amount: 100, currency: "EUR", clicks: 50 }]));
    expect((await r.json<any>()).created).toBe(1);
    const mixed = await call(`/v1/campaigns?${WINDOW}`);
    expect(mixed.status).toBe(400);
    expect((await mixed.json<any>()).error).toMatchObject({ code: "mixed_currencies", message: expect.stringContaining("EUR, USD") });
    const usd = await json(`/v1/campaigns?currency=usd&${WINDOW}`);
    expect(usd.rows[0]).toMatchObject({ key: "spring", spend: 1_500, clicks: 600, roas: 8 });
    expect(usd.other_currencies.spend).toEqual({ EUR: 100 });
    // /v1/revenue is in its deals' currency (USD): the euros are aside there too.
    const revenue = await json(`/v1/revenue?by=campaign&model=first_touch&${WINDOW}`);
    expect(revenue.rows.find((x: any) => x.key === "spring").spend).toBe(1_500);
    expect(revenue.other_currency_spend).toEqual({ EUR: 100 });
  });
});
