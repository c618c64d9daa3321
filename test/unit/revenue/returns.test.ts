import { describe, expect, it } from "vitest";
import { MixedCurrenciesError } from "../../../collector/revenue/rpv";
import { spendInCurrency, spendReturns } from "../../../collector/revenue/returns";

describe("spendReturns", () => {
  it("divides revenue and spend: two days of 1,000 + 500 over 400 + 200 clicks against a 12,000 deal", () => {
    // ROAS 12,000 / 1,500 = 8; per visitor 1,500 / 3 = 500; per click 12,000 / 600 = 20
    expect(spendReturns({ revenue: 12_000, visitors: 3 }, { spend: 1_500, clicks: 600 })).toEqual({ spend: 1_500, clicks: 600, roas: 8, cost_per_visitor: 500, revenue_per_click: 20 });
  });

  it("leaves a row without spend as it is", () => {
    expect(spendReturns({ revenue: 5_000, visitors: 2 }, undefined)).toBeNull();
  });

  it("shows ROAS 0 for spend without revenue, and null where a divisor is 0", () => {
    expect(spendReturns({ revenue: 0, visitors: 0 }, { spend: 800, clicks: 0 })).toEqual({ spend: 800, clicks: 0, roas: 0, cost_per_visitor: null, revenue_per_click: null });
    expect(spendReturns({ revenue: 100, visitors: 1 }, { spend: 0, clicks: 5 })?.roas).toBeNull();
  });

  it("gives pipeline rows their cost per opportunity, fractions included", () => {
    // 900 over 1.5 attributed opportunities = 600; 1,000 / 3 = 333.33 (cents), ROAS 1,000 / 900 = 1.1111
    expect(spendReturns({ revenue: 1_000, opportunities: 1.5 }, { spend: 900, clicks: 3 })).toEqual({ spend: 900, clicks: 3, roas: 1.1111, cost_per_visitor: null, revenue_per_click: 333.33, cost_per_opportunity: 600 });
    expect(spendReturns({ revenue: 0, opportunities: 0 }, { spend: 900, clicks: 3 })?.cost_per_opportunity).toBeNull();
  });
});

describe("spendInCurrency", () => {
  const sums = [
    { key: "brand", currency: "USD", amount: 1_000, clicks: 400 },
    { key: "brand", currency: "usd", amount: 500, clicks: 200 },
    { key: "", currency: "USD", amount: 50, clicks: 1 },
    { key: "brand", currency: "EUR", amount: 70, clicks: 9 },
  ];

  it("sums per key in the report's currency; a row without a value is only in the total; others aside", () => {
    const s = spendInCurrency(sums, "USD");
    expect(s.currency).toBe("USD");
    expect([...s.byKey]).toEqual([["brand", { spend: 1_500, clicks: 600 }]]);
    expect(s.total).toEqual({ spend: 1_550, clicks: 601 });
    expect(s.other).toEqual({ EUR: 70 });
  });

  it("takes the spend's own currency when the report has none, and refuses several", () => {
    expect(spendInCurrency(sums.slice(0, 3), null).currency).toBe("USD");
    expect(() => spendInCurrency(sums, null)).toThrow(MixedCurrenciesError);
    expect(() => spendInCurrency(sums, null)).toThrow(/Spend in this window is in several currencies \(EUR, USD\)/);
    expect(spendInCurrency([], null)).toEqual({ currency: null, byKey: new Map(), total: null, other: {} });
  });
});
