import { describe, expect, it } from "vitest";
import { dayActivity } from "../../fixtures";
import { DEFAULT_ENGAGEMENT, engagementSettings, isHighIntent, score } from "../../../collector/engagement/score";

const day = dayActivity;

describe("score", () => {
  it("decays each day by its age in half-lives", () => {
    // 3 page views today: 3·1·2^0 = 3. 1 form submit 14 days ago: 10·2^(−14/14) = 5. Total 8.
    const result = score([day("2026-03-31", { page_views: 3 }), day("2026-03-17", { form_submits: 1 })], "2026-03-31", DEFAULT_ENGAGEMENT);
    expect(result.score).toBe(8);
    expect(result.components).toEqual({ page_views: 3, high_intent_page_views: 0, form_starts: 0, form_submits: 5, engaged_minutes: 0 });
  });

  it("returns components per kind that add up to the score", () => {
    // 7 days ago, decay 2^(−7/14) = 1/√2 ≈ 0.70711:
    //   2 pricing views 2·3 = 6 → 4.24264; 1 form start 2 → 1.41421; 120 s = 2 min · 0.5 = 1 → 0.70711
    // 28 days ago, decay 2^(−2) = 0.25: 4 page views 4·1 = 4 → 1
    // score = (6 + 2 + 1)/√2 + 1 = 6.36396 + 1 = 7.36396
    const result = score(
      [day("2026-03-24", { high_intent_page_views: 2, form_starts: 1, engaged_seconds: 120 }), day("2026-03-03", { page_views: 4 })],
      "2026-03-31",
      DEFAULT_ENGAGEMENT,
    );
    expect(result.score).toBeCloseTo(7.36396, 5);
    expect(result.components.high_intent_page_views).toBeCloseTo(4.24264, 5);
    expect(result.components.form_starts).toBeCloseTo(1.41421, 5);
    expect(result.components.engaged_minutes).toBeCloseTo(0.70711, 5);
    expect(result.components.page_views).toBe(1);
    const sum = Object.values(result.components).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(result.score, 12);
  });

  it("counts whole UTC days, across a leap day", () => {
    // Half-life 1 day: 2024-02-29 is 1 day before 2024-03-01 → 1·2^−1 = 0.5; 2024-02-28 is 2 → 0.25.
    const settings = engagementSettings({ half_life_days: 1 });
    const result = score([day("2024-02-29", { page_views: 1 }), day("2024-02-28", { page_views: 1 })], "2024-03-01", settings);
    expect(result.score).toBe(0.75);
  });

  it("uses the deployment's weights and half-life", () => {
    // Half-life 7, form submit weight 20: one submit 7 days ago → 20·2^(−7/7) = 10.
    const settings = engagementSettings({ half_life_days: 7, weights: { form_submit: 20 } });
    expect(score([day("2026-03-24", { form_submits: 1 })], "2026-03-31", settings).score).toBe(10);
  });

  it("ignores days after asOf and scores nothing as 0", () => {
    expect(score([day("2026-04-01", { page_views: 50 })], "2026-03-31", DEFAULT_ENGAGEMENT).score).toBe(0);
    expect(score([], "2026-03-31", DEFAULT_ENGAGEMENT).score).toBe(0);
  });

  it("refuses a day that is not YYYY-MM-DD", () => {
    expect(() => score([], "2026-02-30", DEFAULT_ENGAGEMENT)).toThrow(RangeError);
    expect(() => score([day("31/03/2026", { page_views: 1 })], "2026-03-31", DEFAULT_ENGAGEMENT)).toThrow(RangeError);
  });
});

describe("isHighIntent", () => {
  it("matches the page rules as path prefixes on whole segments", () => {
    expect(isHighIntent("/pricing", DEFAULT_ENGAGEMENT)).toBe(true);
    expect(isHighIntent("/pricing/teams", DEFAULT_ENGAGEMENT)).toBe(true);
    expect(isHighIntent("/Demo/", DEFAULT_ENGAGEMENT)).toBe(true);
    expect(isHighIntent("/contact?from=nav#form", DEFAULT_ENGAGEMENT)).toBe(true);
    expect(isHighIntent("/pricing-old", DEFAULT_ENGAGEMENT)).toBe(false);
    expect(isHighIntent("/blog/pricing", DEFAULT_ENGAGEMENT)).toBe(false);
    expect(isHighIntent("/", DEFAULT_ENGAGEMENT)).toBe(false);
  });

  it("follows the deployment's own rules", () => {
    const settings = engagementSettings({ high_intent_pages: ["/trial/"] });
    expect(isHighIntent("/trial/start", settings)).toBe(true);
    expect(isHighIntent("/pricing", settings)).toBe(false);
  });
});

describe("engagementSettings", () => {
  it("merges overrides into the SPEC defaults", () => {
    expect(engagementSettings({ weights: { page_view: 2 } })).toEqual({
      half_life_days: 14,
      weights: { page_view: 2, high_intent_page_view: 3, form_start: 2, form_submit: 10, engaged_minute: 0.5 },
      high_intent_pages: ["/pricing", "/demo", "/contact"],
    });
  });

  it("refuses settings that would make scores meaningless", () => {
    expect(() => engagementSettings({ half_life_days: 0 })).toThrow(/half_life_days/);
    expect(() => engagementSettings({ weights: { form_submit: -1 } })).toThrow(/form_submit/);
    // Values that would make decayed sums overflow to Infinity are refused too.
    expect(() => engagementSettings({ half_life_days: 1e-300 })).toThrow(/half_life_days/);
    expect(() => engagementSettings({ weights: { page_view: 1e308 } })).toThrow(/page_view/);
    expect(engagementSettings({ half_life_days: 0.5 }).half_life_days).toBe(0.5);
    expect(() => engagementSettings({ high_intent_pages: ["pricing"] })).toThrow(/pricing/);
  });
});
