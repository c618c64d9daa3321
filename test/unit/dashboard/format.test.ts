import { describe, expect, it } from "vitest";
import { count, daysBetween, denseSeries, duration, money, moneyShort, percent, pointsDelta, scoreText, when } from "../../../dashboard/src/format";

describe("dashboard number formats", () => {
  it("groups counts and keeps scores short", () => {
    expect(count(12345.6)).toBe("12,346");
    expect(scoreText(0)).toBe("0");
    expect(scoreText(37.25)).toBe("37.3");
    expect(scoreText(1234.4)).toBe("1,234");
  });

  it("shows money in the report's currency, and a dash when a group has no visitors", () => {
    // SPEC §6 example: $1.1M × 0.75 deals / 6,000 visitors = 825,000 / 6,000 = $137.50.
    expect(money(825_000 / 6000, "USD")).toBe("$137.50");
    expect(money(99.5, "EUR")).toBe("€99.50");
    expect(money(null)).toBe("—");
    expect(moneyShort(12_500, "USD")).toBe("$12.5K");
    expect(moneyShort(40, "USD")).toBe("$40");
  });

  it("compares coverage in percentage points", () => {
    // 5 of 12 = 0.41666… → 41.7%; against 3 of 12 = 0.25 that is +16.7 points.
    expect(percent(5 / 12)).toBe("41.7%");
    expect(pointsDelta(5 / 12, 3 / 12)).toBe("+16.7 pts");
    expect(pointsDelta(0.25, 0.5)).toBe("−25.0 pts");
  });

  it("reads engaged time in minutes and hours", () => {
    expect(duration(45)).toBe("45s");
    expect(duration(754)).toBe("12m 34s"); // 12 × 60 + 34
    expect(duration(7260)).toBe("2h 1m"); // 2 × 3600 + 60
  });

  it("writes dates in UTC, days as days", () => {
    expect(when("2026-03-05")).toBe("5 Mar 2026");
    expect(when("2026-03-05T14:07:00.000Z")).toBe("5 Mar 2026, 14:07 UTC");
    expect(when(null)).toBe("—");
  });

  it("fills quiet days with zero so a sparkline keeps its time axis", () => {
    const days = daysBetween("2026-02-27", "2026-03-02"); // 2026 is not a leap year: Feb has 28 days
    expect(days).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(denseSeries(days, [{ day: "2026-02-28", events: 4 }, { day: "2026-03-02", events: 1 }])).toEqual([0, 4, 0, 1]);
  });
});
