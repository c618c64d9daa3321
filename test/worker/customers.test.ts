import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers";
import { DAY, json, put } from "./journeys";

// GET /v1/customers?period=quarter, deal types on the timeline and the deals list, in workerd.
// Quarters are the calendar's (UTC), worked out from today:
//   A-0 Acme 40,000 won 10 days into last quarter: Acme's first win → new business
//   A-1 Acme 15,000 won on this quarter's first day (00:00, never in the future): expansion
//   B-1 Globex 25,000 won on this quarter's first day: Globex's first win → new business
//   not won: B-2 Globex 9,000 open; B-3 Globex 5,000 lost this quarter; F-1 Initech 7,000
//   marked won but closing tomorrow (a deal counts as won once closed_at is not in the future).
// This quarter: customers Acme, Globex = 2 (cumulative); new 1 (Globex); won 40,000 =
//   25,000 new business + 15,000 expansion; per customer 40,000 / 2 accounts = 20,000.
// Last quarter: customers 1 (Acme), new 1; 40,000 new business; per customer 40,000.

const now = new Date();
const y = now.getUTCFullYear();
const q = now.getUTCMonth() - (now.getUTCMonth() % 3);
const Q = Date.UTC(y, q, 1);
const PQ = Date.UTC(y, q - 3, 1);
const NEXT = Date.UTC(y, q + 3, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

beforeAll(async () => {
  await put("/v1/accounts", [{ domain: "acme.com", name: "Acme" }, { domain: "globex.com", name: "Globex" }, { domain: "initech.com", name: "Initech" }]);
  const csv = [
    "id,account,amount,currency,stage,created_at,closed_at,won,type",
    `A-0,acme.com,40000,USD,closed_won,${day(PQ - 30 * DAY)},${day(PQ + 10 * DAY)},true,`,
    `A-1,acme.com,15000,USD,closed_won,${day(PQ + 20 * DAY)},${iso(Q)},true,`,
    `B-1,globex.com,25000,USD,closed_won,${day(PQ + 40 * DAY)},${iso(Q)},true,`,
    `B-2,globex.com,9000,USD,proposal,${day(Q)},,false,`,
    `B-3,globex.com,5000,USD,closed_lost,${day(PQ + 50 * DAY)},${iso(Q)},false,`,
    `F-1,initech.com,7000,USD,closed_won,${day(PQ)},${iso(now.getTime() + DAY)},true,`,
  ].join("\n");
  const r = await call("/v1/deals", { method: "PUT", body: csv, headers: { "content-type": "text/csv" } });
  expect(await r.json()).toMatchObject({ created: 6, invalid: 0 });
});

describe("GET /v1/customers", () => {
  it("this quarter against last: counts, new customers, new business and expansion, revenue per customer", async () => {
    expect(await json("/v1/customers?period=quarter")).toEqual({
      period: "quarter",
      currency: "USD",
      current: {
        from: day(Q), to: day(NEXT - DAY), customers: 2, new_customers: 1, won_revenue: 40_000,
        new_business_revenue: 25_000, expansion_revenue: 15_000, revenue_per_customer: 20_000, other_currencies: {},
      },
      previous: {
        from: day(PQ), to: day(Q - DAY), customers: 1, new_customers: 1, won_revenue: 40_000,
        new_business_revenue: 40_000, expansion_revenue: 0, revenue_per_customer: 40_000, other_currencies: {},
      },
    });
  });

  it("shows each deal's type on the deals list and on the account timeline", async () => {
    const types = Object.fromEntries((await json("/v1/deals?account=globex.com")).deals.map((d: any) => [d.id, d.type]));
    // B-2 was opened on the day Globex first won (B-1): Globex was a customer by then → expansion.
    // B-3 was opened last quarter, before Globex's first win → new business.
    expect(types).toEqual({ "B-1": "new_business", "B-2": "expansion", "B-3": "new_business" });
    const timeline = await json("/v1/accounts/acme.com/timeline");
    const closed = timeline.items.filter((i: any) => i.kind === "deal_closed").map((i: any) => [i.deal_id, i.type]);
    expect(closed).toEqual([["A-0", "new_business"], ["A-1", "expansion"]]);
  });

  it("an imported type overrides the history (a customer from before the CRM)", async () => {
    await put("/v1/deals", [{ id: "B-1", account: "globex.com", amount: 25_000, currency: "USD", created_at: day(PQ + 40 * DAY), closed_at: iso(Q), won: true, type: "expansion" }]);
    const body = await json("/v1/customers");
    // Globex's first win is still this quarter (new_customers counts the history), but all 40,000 is expansion now.
    expect(body.current).toMatchObject({ customers: 2, new_customers: 1, new_business_revenue: 0, expansion_revenue: 40_000 });
    expect((await json("/v1/deals?account=globex.com")).deals.find((d: any) => d.id === "B-1").type).toBe("expansion");
  });

  it("never mixes currencies, and refuses a type or period it does not know", async () => {
    await put("/v1/deals", [{ id: "E-1", account: "initech.com", amount: 3_000, currency: "EUR", created_at: day(PQ), closed_at: iso(Q), won: true }]);
    const mixed = await call("/v1/customers?period=quarter");
    expect(mixed.status).toBe(400);
    expect((await mixed.json<any>()).error).toEqual({ code: "mixed_currencies", message: "Deals won in these periods are in several currencies (EUR, USD); choose one with currency=." });
    const usd = await json("/v1/customers?period=quarter&currency=USD");
    expect(usd.current).toMatchObject({ customers: 3, new_customers: 2, won_revenue: 40_000, other_currencies: { EUR: 3_000 } });
    const badType = await put("/v1/deals", [{ id: "T-1", account: "acme.com", amount: 1, currency: "USD", won: false, type: "upsell" }]);
    expect(badType.errors).toEqual([{ row: 1, reason: expect.stringContaining("`type` must be new_business or expansion") }]);
    const week = await call("/v1/customers?period=week");
    expect(week.status).toBe(400);
    expect((await week.json<any>()).error.message).toBe("`period` must be one of month, quarter, year.");
  });
});
