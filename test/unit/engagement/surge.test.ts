import { describe, expect, it } from "vitest";
import { dayActivity } from "../../fixtures";
import { DEFAULT_ENGAGEMENT } from "../../../collector/engagement/settings";
import { surging, weeklyActivity } from "../../../collector/engagement/surge";

const day = dayActivity;

describe("weeklyActivity", () => {
  it("buckets undecayed weighted activity into the week ending asOf and the three before", () => {
    const weekly = weeklyActivity(
      [
        day("2026-04-01", { page_views: 50 }), // after asOf: ignored
        day("2026-03-31", { page_views: 2, form_submits: 1 }), // age 0: 2·1 + 10 = 12, 3 events
        day("2026-03-25", { high_intent_page_views: 1, engaged_seconds: 60 }), // age 6: 3 + 1 min·0.5 = 3.5, 1 event
        day("2026-03-24", { page_views: 1, form_starts: 1 }), // age 7 → week 1: 1 + 2 = 3
        day("2026-03-04", { page_views: 4 }), // age 27 → week 3: 4
        day("2026-03-03", { page_views: 100 }), // age 28: older than four weeks, ignored
      ],
      "2026-03-31",
      DEFAULT_ENGAGEMENT,
    );
    // This week 12 + 3.5 = 15.5 over 3 + 1 = 4 events; week 2 (asOf−20…−14) had nothing.
    expect(weekly).toEqual({ thisWeek: { weighted: 15.5, events: 4 }, previous: [3, 0, 4] });
    // 15.5 ≥ 2 · 7/3 = 4.67, but 4 events are one short of 5.
    expect(surging(weekly)).toBe(false);
  });
});

describe("surging", () => {
  it("surges at exactly twice the mean of the three weeks before", () => {
    // mean(4, 6, 5) = 5; 2 × 5 = 10.
    expect(surging({ thisWeek: { weighted: 10, events: 5 }, previous: [4, 6, 5] })).toBe(true);
    expect(surging({ thisWeek: { weighted: 9.5, events: 5 }, previous: [4, 6, 5] })).toBe(false);
  });

  it("needs at least 5 events however big the jump", () => {
    expect(surging({ thisWeek: { weighted: 100, events: 4 }, previous: [1, 1, 1] })).toBe(false);
  });

  it("surges from nothing once there are 5 events", () => {
    expect(surging({ thisWeek: { weighted: 5, events: 5 }, previous: [0, 0, 0] })).toBe(true);
    expect(surging({ thisWeek: { weighted: 40, events: 4 }, previous: [0, 0, 0] })).toBe(false);
  });

  it("does not lose an exact 2× to floating point", () => {
    // (0.1 + 0.2) + 0.3 + 0.3 = 0.9000000000000001 in floating point; mean 0.3, 2× = 0.6.
    expect(surging({ thisWeek: { weighted: 0.6, events: 5 }, previous: [0.1 + 0.2, 0.3, 0.3] })).toBe(true);
  });
});
