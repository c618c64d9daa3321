import { describe, expect, it } from "vitest";
import { customersCurrency, customersIn, MixedCustomerCurrenciesError, periodRanges, type WonDeal } from "../../../collector/revenue/customers";

const NOW = new Date(Date.UTC(2026, 4, 20, 12)); // 20 May 2026: Q2 (Apr–Jun); Q1 before it
const won = (id: string, account: string, amount: number, closed: number, extra: Partial<WonDeal> = {}): WonDeal => ({
  id, account_id: account, amount, currency: "USD", created_at: null, closed_at: closed, type: null, ...extra,
});

describe("calendar periods", () => {
  it("months, quarters and years, with the one before (across a year's start)", () => {
    expect(periodRanges("quarter", NOW)).toEqual({ current: { from: Date.UTC(2026, 3, 1), to: Date.UTC(2026, 6, 1) }, previous: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) } });
    expect(periodRanges("month", new Date(Date.UTC(2026, 0, 5)))).toEqual({ current: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) }, previous: { from: Date.UTC(2025, 11, 1), to: Date.UTC(2026, 0, 1) } });
    expect(periodRanges("year", NOW).previous).toEqual({ from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 0, 1) });
    expect(periodRanges("quarter", new Date(Date.UTC(2026, 1, 1))).previous).toEqual({ from: Date.UTC(2025, 9, 1), to: Date.UTC(2026, 0, 1) });
  });
});

describe("customers this quarter against last", () => {
  // Acme won 30,000 in February (its first win: new business) and 10,000 in May (expansion);
  // Globex won 50,000 in April (its first win); Initech won 5,000 in 2025 and 8,000 in May.
  const { current, previous } = periodRanges("quarter", NOW);
  const history = [
    won("A1", "acme", 30_000, Date.UTC(2026, 1, 10)),
    won("A2", "acme", 10_000, Date.UTC(2026, 4, 2)),
    won("G1", "globex", 50_000, Date.UTC(2026, 3, 1)),
    won("I0", "initech", 5_000, Date.UTC(2025, 6, 1)),
    won("I1", "initech", 8_000, Date.UTC(2026, 4, 19)),
  ];

  it("this quarter: 3 customers (cumulative), 1 new; 68,000 = 50,000 new business + 18,000 expansion, ÷ 3 accounts", () => {
    expect(customersIn(history, current, "USD", NOW.getTime())).toEqual({
      customers: 3, new_customers: 1, won_revenue: 68_000, new_business_revenue: 50_000, expansion_revenue: 18_000,
      revenue_per_customer: 68_000 / 3, other_currencies: {},
    });
  });

  it("last quarter: Acme and Initech were customers, Acme new; 30,000 new business from one account", () => {
    expect(customersIn(history, previous, "USD", NOW.getTime())).toEqual({
      customers: 2, new_customers: 1, won_revenue: 30_000, new_business_revenue: 30_000, expansion_revenue: 0,
      revenue_per_customer: 30_000, other_currencies: {},
    });
  });

  it("an imported type wins over the history", () => {
    const typed = history.map((d) => (d.id === "G1" ? { ...d, type: "expansion" as const } : d));
    expect(customersIn(typed, current, "USD", NOW.getTime())).toMatchObject({ new_customers: 1, new_business_revenue: 0, expansion_revenue: 68_000 });
  });

  it("keeps other currencies aside, and refuses to choose between them", () => {
    const mixed = [...history, won("E1", "hooli", 2_000, Date.UTC(2026, 4, 3), { currency: "EUR" })];
    expect(customersIn(mixed, current, "USD", NOW.getTime())).toMatchObject({ customers: 4, new_customers: 2, won_revenue: 68_000, revenue_per_customer: 68_000 / 3, other_currencies: { EUR: 2_000 } });
    expect(() => customersCurrency(mixed, [current, previous])).toThrow(MixedCustomerCurrenciesError);
    expect(() => customersCurrency(mixed, [current, previous])).toThrow("EUR, USD");
    expect(customersCurrency(mixed, [current, previous], "eur")).toBe("EUR");
    expect(customersCurrency(history, [previous])).toBe("USD");
    expect(customersIn([], previous, null, NOW.getTime())).toMatchObject({ customers: 0, revenue_per_customer: null });
  });
});
