import { describe, expect, it } from "vitest";
import { creditByKey, reportCurrency } from "../../../collector/marketing/credit";
import { groupKeys } from "../../../collector/revenue/groups";
import { MixedCurrenciesError } from "../../../collector/revenue/rpv";
import type { Deal, Touchpoint } from "../../../collector/revenue/types";

const DAY = 86_400_000;
const touch = (day: number, campaign: string | null, pages: string[] = []): Touchpoint => ({
  visitor_id: "v", session_id: `s${day}`, at: day * DAY, channel: "Direct", source: null, medium: null, campaign, landing_page: pages[0] ?? "/", pages, lead: false,
});
const byAccount = new Map([["a", [touch(1, "spring", ["/landing", "/features"]), touch(5, null, ["/pricing"]), touch(20, "summer", ["/case-study"])]]]);
const touches = (d: Deal) => byAccount.get(d.account_id) ?? [];
const deal: Deal = { id: "D", account_id: "a", amount: 9_000, currency: "USD", created_at: 10 * DAY, closed_at: 30 * DAY, won: true };

describe("creditByKey", () => {
  it("revenue: linear over the touches before the close, per campaign", () => {
    const c = creditByKey([deal], touches, { model: "linear", keysOf: groupKeys("campaign"), end: "closed" });
    expect([...c]).toEqual([["spring", { amount: 3_000, deals: 1 / 3 }], ["(none)", { amount: 3_000, deals: 1 / 3 }], ["summer", { amount: 3_000, deals: 1 / 3 }]]);
  });

  it("pipeline: only the touches before the deal was created (day 10), so summer (day 20) gets nothing", () => {
    const c = creditByKey([deal], touches, { model: "linear", keysOf: groupKeys("campaign"), end: "created" });
    expect([...c]).toEqual([["spring", { amount: 4_500, deals: 0.5 }], ["(none)", { amount: 4_500, deals: 0.5 }]]);
  });

  it("pages: a session's credit split evenly over its pages", () => {
    const c = creditByKey([deal], touches, { model: "first_touch", keysOf: groupKeys("page"), end: "closed" });
    expect([...c]).toEqual([["/landing", { amount: 4_500, deals: 0.5 }], ["/features", { amount: 4_500, deals: 0.5 }]]);
  });
});

describe("reportCurrency", () => {
  it("is the one asked for, else the only one in use; several are refused", () => {
    expect(reportCurrency(["usd", "USD"])).toBe("USD");
    expect(reportCurrency(["USD", "EUR"], "eur")).toBe("EUR");
    expect(reportCurrency([])).toBeNull();
    expect(() => reportCurrency(["USD", "EUR"])).toThrow(MixedCurrenciesError);
  });
});
