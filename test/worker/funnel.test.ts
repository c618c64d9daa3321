import { beforeAll, describe, expect, it } from "vitest";
import { call, createSite } from "./helpers";
import { DAY, journeys, json, put } from "./journeys";

// GET /v1/funnel and /v1/funnel/plan end to end in workerd: sessions, identifies and a form's
// email through /v1/batch and the queue consumer, deals through PUT /v1/deals.
//
// Days count from BASE (60 days ago, midnight UTC); the window is day 0 .. day 30. Pages at 10:00.
//   a1 (Acme):    day −10 Organic Search (google); day 2 Paid Search (google/cpc), identifies alice@acme.com at 10:01
//   a2 (Acme):    day 5 Email (newsletter); day 9 submits a form with bob@acme.com at 10:01
//   p1 (no account): day 8 Direct; day 14 Direct, identifies pat@gmail.com (personal mail) at 10:01
//   g1 (Globex):  day −40 Referral (partner.example.org), identifies carol@globex.com (a lead before the window)
//   i1 (Initech): day 20 Direct, identifies dan@initech.com at 10:01
//   v1:           day 25 Organic Search, never identified
//   o1:           day −30 Direct only (before the window); a crawler on day 3 (never counted)
// Deals (created/closed at midnight):
//   A-1 Acme created day 10, won day 20: Acme's first win → a new customer
//   G-1 Globex created day 12, open: an opportunity of an account first seen before the window
//   I-0 Initech created day −100, won day −50: Initech's first win, before the window
//   I-1 Initech created day 22, won day 26: an opportunity; Initech is not a new customer
//
// In the window: visitors a1 a2 p1 i1 v1 = 5; leads alice bob pat dan = 4 (carol's was before);
// opportunities A-1 G-1 I-1 = 3; customers Acme = 1.
// Median days (a minute is 0.0007 days):
//   leads, from the person's first visit: alice 12.0007 (day −10 → 2), bob 4.0007 (day 5 → 9),
//     pat 6.0007 (day 8 → 14), dan 0.0007 → (4.0007 + 6.0007) / 2 = 5.0007 → 5
//   opportunities, from the account's first lead to its deal: Acme day 2 10:01 → day 10 = 7.58,
//     Globex day −40 10:01 → day 12 = 51.58, Initech day 20 10:01 → day 22 = 1.58 → 7.58 → 7.6
//   customers, from the account's first deal to its first win: Acme day 10 → day 20 = 10

const now = new Date();
const BASE = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 60 * DAY;
const j = journeys("fn", BASE);
const WINDOW = `from=${j.dayOf(0)}&to=${j.dayOf(30)}`;

/** name → [count, rate, median_days] */
const table = (stages: any[]) => Object.fromEntries(stages.map((s) => [s.name, [s.count, s.rate, s.median_days]]));

beforeAll(async () => {
  j.useSite(await createSite(["example.com"]));
  await put("/v1/accounts", [{ domain: "acme.com", name: "Acme" }, { domain: "globex.com", name: "Globex" }, { domain: "initech.com", name: "Initech" }]);
  await j.send([
    j.page("a1", -10, "/blog", "https://www.google.com/"),
    j.page("a1", 2, "/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
    j.identify("a1", 2, "alice@acme.com"),
    j.page("a2", 5, "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"),
    j.page("a2", 9, "/demo"),
    j.formSubmit("a2", 9, "bob@acme.com"),
    j.page("p1", 8, "/"),
    j.page("p1", 14, "/pricing"),
    j.identify("p1", 14, "pat@gmail.com"),
    j.page("g1", -40, "/", "https://partner.example.org/tools"),
    j.identify("g1", -40, "carol@globex.com"),
    j.page("i1", 20, "/about"),
    j.identify("i1", 20, "dan@initech.com"),
    j.page("v1", 25, "/blog", "https://www.bing.com/"),
    j.page("o1", -30, "/"),
  ]);
  await j.crawl("crawler", 3);
  await put("/v1/deals", [
    { id: "A-1", account: "acme.com", amount: 12_000, currency: "USD", created_at: j.dayOf(10), closed_at: j.dayOf(20), won: true },
    { id: "G-1", account: "globex.com", amount: 8_000, currency: "USD", created_at: j.dayOf(12), won: false },
    { id: "I-0", account: "initech.com", amount: 5_000, currency: "USD", created_at: j.dayOf(-100), closed_at: j.dayOf(-50), won: true },
    { id: "I-1", account: "initech.com", amount: 3_000, currency: "USD", created_at: j.dayOf(22), closed_at: j.dayOf(26), won: true },
  ]);
  await j.stored();
});

describe("GET /v1/funnel", () => {
  it("counts each stage in the window, with rates and median days from the stage above", async () => {
    const body = await json(`/v1/funnel?${WINDOW}`);
    expect(body).toMatchObject({ from: j.dayOf(0), to: j.dayOf(30) });
    expect(body.groups).toBeUndefined();
    expect(table(body.stages)).toEqual({
      visitors: [5, null, null],
      leads: [4, 0.8, 5],
      opportunities: [3, 0.75, 7.6],
      customers: [1, 0.333333, 10],
    });
    expect(body.stages.map((s: any) => s.name)).toEqual(["visitors", "leads", "opportunities", "customers"]);
  });

  it("splits by the first touch of each visitor, person and account", async () => {
    // visitors: a1's first session ever is day −10 Organic; a2 Email; p1, i1 Direct; v1 Organic (bing)
    // leads: alice → a1's Organic; bob → Email; pat, dan → Direct
    // opportunities: A-1 → Acme's first session before day 10: a1 day −10 Organic; G-1 → g1's Referral; I-1 → i1's Direct
    // customers: Acme → its first won deal A-1, so Organic
    const body = await json(`/v1/funnel?by=channel&${WINDOW}`);
    expect(body.by).toBe("channel");
    expect(body.groups.map((g: any) => g.key)).toEqual(["Direct", "Organic Search", "Email", "Referral"]);
    const group = (key: string) => table(body.groups.find((g: any) => g.key === key).stages);
    // Direct: pat 6.0007 and dan 0.0007 → 3.0; Initech's first lead to I-1 1.58 → 1.6
    expect(group("Direct")).toEqual({ visitors: [2, null, null], leads: [2, 1, 3], opportunities: [1, 0.5, 1.6], customers: [0, 0, null] });
    expect(group("Organic Search")).toEqual({ visitors: [2, null, null], leads: [1, 0.5, 12], opportunities: [1, 1, 7.6], customers: [1, 1, 10] });
    expect(group("Email")).toEqual({ visitors: [1, null, null], leads: [1, 1, 4], opportunities: [0, 0, null], customers: [0, null, null] });
    expect(group("Referral")).toEqual({ visitors: [0, null, null], leads: [0, null, null], opportunities: [1, null, 51.6], customers: [0, 0, null] });
    // The groups add up to the whole funnel.
    expect(table(body.stages)).toMatchObject({ visitors: [5, null, null], leads: [4, 0.8, 5] });
  });

  it("answers 400 for a bad window or by, 401 without a key", async () => {
    for (const [query, word] of [["by=page", "by"], ["from=2026-13-01", "from"], ["window=12d", "window"], ["model=linear", "model"]]) {
      const r = await call(`/v1/funnel?${query}`);
      expect(r.status, query).toBe(400);
      expect((await r.json<any>()).error.message, query).toContain(word);
    }
    expect((await call("/v1/funnel", { token: null })).status).toBe(401);
  });
});

describe("GET /v1/funnel/plan", () => {
  it("works the annual-plan example backwards: 9.09 customers a year, 0.758 a month, 6,313 visits a month", async () => {
    const body = await json("/v1/funnel/plan?revenue=10000000&per=year&deal_size=1100000&stages=visits,leads,mqls,sqls,opportunities,customers&rates=0.015,0.2,0.2,0.4,0.5");
    expect(body).toMatchObject({ revenue: 10_000_000, deal_size: 1_100_000, per: "year", rates_from: "given" });
    // 10,000,000 / 1,100,000 = 9.0909; ÷ 0.5 = 18.1818; ÷ 0.4 = 45.4545; ÷ 0.2 = 227.2727; ÷ 0.2 = 1,136.3636; ÷ 0.015 = 75,757.5758
    expect(body.stages).toEqual([
      { name: "visits", rate: null, per_period: 75_757.5758, per_month: 6_313.1313 },
      { name: "leads", rate: 0.015, per_period: 1_136.3636, per_month: 94.697 },
      { name: "mqls", rate: 0.2, per_period: 227.2727, per_month: 18.9394 },
      { name: "sqls", rate: 0.2, per_period: 45.4545, per_month: 3.7879 },
      { name: "opportunities", rate: 0.4, per_period: 18.1818, per_month: 1.5152 },
      { name: "customers", rate: 0.5, per_period: 9.0909, per_month: 0.7576 },
    ]);
    // rates as percentages read the same
    const pct = await json("/v1/funnel/plan?revenue=10000000&deal_size=1100000&stages=visits,leads,mqls,sqls,opportunities,customers&rates=1.5%25,20%25,20%25,40%25,50%25");
    expect(pct.stages[0].per_month).toBe(6_313.1313);
  });

  it("uses the rates the funnel measured over the last 365 days by default", async () => {
    // Last 365 days: visitors a1 a2 p1 g1 i1 v1 o1 = 7; leads alice bob pat carol dan = 5;
    // deals created A-1 G-1 I-0 I-1 = 4; first wins Acme, Initech = 2. Rates 5/7, 4/5, 2/4.
    // 100,000 a quarter in deals of 10,000: 10 customers ← 20 opportunities ← 25 leads ← 35 visitors.
    const body = await json("/v1/funnel/plan?revenue=100000&per=quarter&deal_size=10000");
    expect(body.rates_from).toBe("measured");
    expect(body.measured).toEqual({ from: new Date(Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) - 364 * DAY).toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) });
    expect(body.stages.map((s: any) => [s.name, s.rate, s.per_period])).toEqual([
      ["visitors", null, 35], ["leads", 0.714286, 25], ["opportunities", 0.8, 20], ["customers", 0.5, 10],
    ]);
    expect(body.stages.map((s: any) => s.per_month)).toEqual([11.6667, 8.3333, 6.6667, 3.3333]);
  });

  it("refuses what it cannot plan, with a sentence", async () => {
    for (const [query, message] of [
      ["deal_size=1000", "`revenue` is required."],
      ["revenue=0&deal_size=1000", "`revenue` must be above 0."],
      ["revenue=-5&deal_size=1000", "`revenue` must be a number"],
      ["revenue=1e6&deal_size=abc", "`deal_size` must be a number"],
      ["revenue=1000&deal_size=10&rates=0.5,0.5", "`rates` must give 3 rates for 4 stages"],
      ["revenue=1000&deal_size=10&rates=1.5,20,40", "`rates` must be shares above 0 and at most 1"],
      ["revenue=1000&deal_size=10&stages=visits,leads,customers", "with other `stages`, give `rates`"],
      ["revenue=1000&deal_size=10&per=week", "`per` must be one of year, quarter, month."],
    ]) {
      const r = await call(`/v1/funnel/plan?${query}`);
      expect(r.status, query).toBe(400);
      expect((await r.json<any>()).error.message, query).toContain(message);
    }
  });
});
