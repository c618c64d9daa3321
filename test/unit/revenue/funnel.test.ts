import { describe, expect, it } from "vitest";
import { funnelGroups, funnelStages, median, medianDays, stageRates, type StageEvent } from "../../../collector/revenue/funnel";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);
const ev = (key: string, unit: string, atDay: number, sinceDay: number | null): StageEvent => ({ key, unit, at: T0 + atDay * DAY, since: sinceDay === null ? null : T0 + sinceDay * DAY });

// 200 visitors (120 Organic Search, 80 Paid Search); 10 leads; 4 deals at 3 accounts; 2 customers.
//   leads: 6 Organic, days since first visit 1, 2, 3, 4, 5, 6; 4 Paid, days 10, 10, 20, (unknown)
//   deals: Organic acme day 30 (lead day 10 → 20 days) and day 40 (acme again: counted, not in the median),
//          Organic globex day 35 (lead day 33 → 2), Paid initech day 50 (no lead → left out of the median)
//   customers: Organic acme day 60 (first deal day 30 → 30), Paid initech day 70 (deal day 50 → 20)
const facts = {
  visitors: new Map([["Organic Search", 120], ["Paid Search", 80]]),
  leads: [
    ...[1, 2, 3, 4, 5, 6].map((d, i) => ev("Organic Search", `p${i}`, d, 0)),
    ev("Paid Search", "q1", 10, 0), ev("Paid Search", "q2", 12, 2), ev("Paid Search", "q3", 20, 0), ev("Paid Search", "q4", 3, null),
  ],
  opportunities: [ev("Organic Search", "acme", 30, 10), ev("Organic Search", "acme", 40, 10), ev("Organic Search", "globex", 35, 33), ev("Paid Search", "initech", 50, null)],
  customers: [ev("Organic Search", "acme", 60, 30), ev("Paid Search", "initech", 70, 50)],
};

describe("funnel stages", () => {
  it("counts each stage, the rate from the one above, and the median days from it", () => {
    expect(funnelStages(facts)).toEqual([
      { name: "visitors", count: 200, rate: null, median_days: null },
      // leads 10 / 200; days 1, 2, 3, 4, 5, 6, 10, 10, 20 (one unknown): median 5
      { name: "leads", count: 10, rate: 0.05, median_days: 5 },
      // 4 deals / 10 leads; per account: acme 20, globex 2 (initech has no lead): median 11
      { name: "opportunities", count: 4, rate: 0.4, median_days: 11 },
      // 2 / 4; acme 30, initech 20: median 25
      { name: "customers", count: 2, rate: 0.5, median_days: 25 },
    ]);
  });

  it("splits by first touch, largest first, each group's rates its own", () => {
    expect(funnelGroups(facts)).toEqual([
      {
        key: "Organic Search",
        stages: [
          { name: "visitors", count: 120, rate: null, median_days: null },
          { name: "leads", count: 6, rate: 0.05, median_days: 3.5 },
          { name: "opportunities", count: 3, rate: 0.5, median_days: 11 },
          { name: "customers", count: 1, rate: 1 / 3, median_days: 30 },
        ],
      },
      {
        key: "Paid Search",
        stages: [
          { name: "visitors", count: 80, rate: null, median_days: null },
          { name: "leads", count: 4, rate: 0.05, median_days: 10 },
          { name: "opportunities", count: 1, rate: 0.25, median_days: null },
          { name: "customers", count: 1, rate: 1, median_days: 20 },
        ],
      },
    ]);
  });

  it("has no rate under an empty stage, and a group with only deals still shows", () => {
    const stages = funnelStages({ visitors: new Map(), leads: [], opportunities: [ev("(none)", "x", 1, null)], customers: [] });
    expect(stages.map((s) => [s.count, s.rate])).toEqual([[0, null], [0, null], [1, null], [0, 0]]);
    expect(funnelGroups({ visitors: new Map(), leads: [], opportunities: [ev("(none)", "x", 1, null)], customers: [] }).map((g) => g.key)).toEqual(["(none)"]);
  });

  it("rates from the counts alone, as the planner measures them", () => {
    expect(stageRates({ visitors: 200, leads: 10, opportunities: 4, customers: 2 })).toEqual([0.05, 0.4, 0.5]);
    expect(stageRates({ visitors: 0, leads: 0, opportunities: 3, customers: 0 })).toEqual([null, null, 0]);
  });

  it("medians: odd, even, a unit's first event, and a previous stage after this one left out", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(medianDays([ev("k", "a", 5, 0), ev("k", "a", 2, 0), ev("k", "b", 1, 4)])).toBe(2);
  });
});
