import { describe, expect, it } from "vitest";
import { parseRates, parseStages, planFunnel } from "../../../collector/revenue/plan";

// The backward planner of SPEC §10, worked by hand:
//   customers = revenue ÷ deal size; each stage above = the one below ÷ its rate.

describe("the backward planner", () => {
  it("works the annual-plan example: 10M a year, 1.1M deals, 1.5/20/20/40/50% → 9.09 customers, 6,313 visits a month", () => {
    const plan = planFunnel({
      revenue: 10_000_000, deal_size: 1_100_000, per: "year",
      stages: ["visits", "leads", "mqls", "sqls", "opportunities", "customers"], rates: [0.015, 0.2, 0.2, 0.4, 0.5],
    });
    if ("error" in plan) throw new Error(plan.error);
    const by = Object.fromEntries(plan.map((s) => [s.name, s]));
    // customers 10,000,000 / 1,100,000 = 9.0909…; a month: 9.0909 / 12 = 0.7576
    expect(by.customers.per_period).toBeCloseTo(100 / 11, 10);
    expect(by.customers.per_month).toBeCloseTo(100 / 132, 10);
    expect(by.customers.per_month.toFixed(3)).toBe("0.758");
    // opportunities 9.0909 / 0.5 = 18.18; sqls / 0.4 = 45.45; mqls / 0.2 = 227.27; leads / 0.2 = 1,136.36
    expect(by.opportunities.per_period).toBeCloseTo(200 / 11, 10);
    expect(by.sqls.per_period).toBeCloseTo(500 / 11, 10);
    expect(by.mqls.per_period).toBeCloseTo(2500 / 11, 10);
    expect(by.leads.per_period).toBeCloseTo(12_500 / 11, 10);
    // visits 1,136.36 / 0.015 = 75,757.58 a year = 6,313.13 a month
    expect(by.visits.per_period).toBeCloseTo(75_757.5758, 3);
    expect(Math.round(by.visits.per_month)).toBe(6_313);
    expect(plan.map((s) => s.rate)).toEqual([null, 0.015, 0.2, 0.2, 0.4, 0.5]);
  });

  it("divides per quarter by three and per month by one", () => {
    const q = planFunnel({ revenue: 300, deal_size: 100, per: "quarter", stages: ["leads", "customers"], rates: [0.5] });
    // 3 customers a quarter ← 6 leads a quarter, 2 leads a month
    expect(q).toEqual([{ name: "leads", rate: null, per_period: 6, per_month: 2 }, { name: "customers", rate: 0.5, per_period: 3, per_month: 1 }]);
    const m = planFunnel({ revenue: 300, deal_size: 100, per: "month", stages: ["leads", "customers"], rates: [0.5] });
    expect(m).toEqual([{ name: "leads", rate: null, per_period: 6, per_month: 6 }, { name: "customers", rate: 0.5, per_period: 3, per_month: 3 }]);
  });

  it.each([
    [{ revenue: 0 }, "`revenue` must be a number above 0"],
    [{ deal_size: -1 }, "`deal_size` must be a number above 0"],
    [{ rates: [0.2] }, "`rates` must give 2 rates for 3 stages"],
    [{ stages: ["a", "a", "b"] }, "names a stage twice"],
    [{ stages: ["customers"], rates: [] }, "at least two stages"],
    [{ rates: [0.2, 0] }, "No rate from b to c: nothing converted"],
  ])("refuses %j with a sentence", (change, message) => {
    const plan = planFunnel({ revenue: 100, deal_size: 10, per: "year", stages: ["a", "b", "c"], rates: [0.5, 0.5], ...change });
    expect(plan).toEqual({ error: expect.stringContaining(message) });
  });

  it("takes a measured rate above 1 (more deals opened than leads), since it is a fact", () => {
    const plan = planFunnel({ revenue: 100, deal_size: 10, per: "year", stages: ["leads", "opportunities", "customers"], rates: [1.25, 0.5] });
    // 10 customers ← 20 opportunities ← 16 leads
    expect(plan).toMatchObject([{ per_period: 16 }, { per_period: 20 }, { per_period: 10 }]);
  });
});

describe("rates and stages as written", () => {
  it("reads shares and percentages", () => {
    expect(parseRates("0.015, 0.2,.4")).toEqual([0.015, 0.2, 0.4]);
    expect(parseRates("1.5%,20%,100%")).toEqual([0.015, 0.2, 1]);
  });

  it.each(["1.5", "0", "20%,abc", "-0.2", "150%", ""])("refuses rate %j, a given rate above 100% being a likely slip", (text) => {
    expect(parseRates(text)).toEqual({ error: expect.stringContaining("`rates` must be shares above 0 and at most 1") });
  });

  it("reads stage names and refuses odd ones", () => {
    expect(parseStages("visits, leads,mqls")).toEqual(["visits", "leads", "mqls"]);
    expect(parseStages("visits,<b>")).toEqual({ error: expect.stringContaining("`stages` must be stage names") });
    expect(parseStages("visits,,leads")).toEqual({ error: expect.stringContaining("`stages`") });
  });
});
