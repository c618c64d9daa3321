import { describe, expect, it } from "vitest";
import { coverage, periodBounds } from "../../../collector/engagement/coverage";

describe("coverage", () => {
  it("shares the segment's accounts engaged this period and the one before", () => {
    // Segment of 4 (a duplicate row counts once); this period a and b engaged (x is outside
    // the segment) → 2/4 = 0.5; the period before only c → 1/4 = 0.25.
    const result = coverage(["a.com", "b.com", "c.com", "d.com", "a.com"], new Set(["a.com", "b.com", "x.com"]), new Set(["c.com"]));
    expect(result).toEqual({
      current: { accounts: 4, engaged: 2, share: 0.5 },
      previous: { accounts: 4, engaged: 1, share: 0.25 },
    });
  });

  it("answers 0 for an empty segment rather than dividing by zero", () => {
    expect(coverage([], new Set(["a.com"]), new Set())).toEqual({
      current: { accounts: 0, engaged: 0, share: 0 },
      previous: { accounts: 0, engaged: 0, share: 0 },
    });
  });
});

describe("periodBounds", () => {
  it("uses ISO weeks starting on Monday", () => {
    // 2026-01-14 is a Wednesday; its week runs Monday 12th to Sunday 18th.
    const expected = { current: { from: "2026-01-12", to: "2026-01-19" }, previous: { from: "2026-01-05", to: "2026-01-12" } };
    expect(periodBounds("week", new Date("2026-01-14T15:00:00Z"))).toEqual(expected);
    expect(periodBounds("week", new Date("2026-01-18T23:59:59Z"))).toEqual(expected); // Sunday
    expect(periodBounds("week", new Date("2026-01-12T00:00:00Z"))).toEqual(expected); // Monday
  });

  it("crosses the year boundary", () => {
    // 2026-01-01 is a Thursday: its week began Monday 2025-12-29.
    expect(periodBounds("week", new Date("2026-01-01T08:00:00Z"))).toEqual({
      current: { from: "2025-12-29", to: "2026-01-05" },
      previous: { from: "2025-12-22", to: "2025-12-29" },
    });
    expect(periodBounds("month", new Date("2026-01-31T23:00:00Z"))).toEqual({
      current: { from: "2026-01-01", to: "2026-02-01" },
      previous: { from: "2025-12-01", to: "2026-01-01" },
    });
    expect(periodBounds("quarter", new Date("2026-02-15T00:00:00Z"))).toEqual({
      current: { from: "2026-01-01", to: "2026-04-01" },
      previous: { from: "2025-10-01", to: "2026-01-01" },
    });
    expect(periodBounds("quarter", new Date("2025-11-30T23:59:59Z"))).toEqual({
      current: { from: "2025-10-01", to: "2026-01-01" },
      previous: { from: "2025-07-01", to: "2025-10-01" },
    });
  });

  it("takes the UTC day, not the server's local one", () => {
    // 2026-03-31T23:30-05:00 is already April 1st in UTC.
    expect(periodBounds("month", new Date("2026-03-31T23:30:00-05:00")).current).toEqual({ from: "2026-04-01", to: "2026-05-01" });
  });

  it("refuses an invalid date", () => {
    expect(() => periodBounds("month", new Date("nope"))).toThrow(RangeError);
  });
});
