import { describe, expect, it } from "vitest";
import { journeyOf, markovRemovalEffects } from "../../../collector/revenue/markov";
import type { Journey, Touchpoint } from "../../../collector/revenue/types";

function expectEffects(effects: Map<string, number>, expected: Record<string, number>) {
  expect([...effects.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [channel, share] of Object.entries(expected)) expect(effects.get(channel)).toBeCloseTo(share, 12);
}

describe("markovRemovalEffects", () => {
  it("reproduces Sergey Bryl's worked example (analyzecore.com, 'Marketing Multi-Channel Attribution model with R (part 1: Markov chains concept)', 2016)", () => {
    // Journeys: C1 → C2 → C3 → conversion, C1 → null, C2 → C3 → null.
    // Transitions: start→C1 2/3, start→C2 1/3; C1→C2 1/2, C1→null 1/2; C2→C3 1; C3→conv 1/2, C3→null 1/2.
    // P(conv) = 2/3·1/2·1·1/2 + 1/3·1·1/2 = 1/6 + 1/6 = 1/3.
    // Without C1: only start→C2→C3→conv = 1/3·1/2 = 1/6 → removal effect 1 − (1/6)/(1/3) = 0.5.
    // Without C2 or C3: every converting path is cut → P = 0 → removal effect 1.
    // Shares: 0.5 / 2.5 = 0.2, 1 / 2.5 = 0.4, 0.4 — the post's removal effects (0.5, 1, 1) and
    // attributed conversions (C1 0.2, C2 0.4, C3 0.4 of the one conversion).
    const journeys: Journey[] = [
      { path: ["C1", "C2", "C3"], converted: true },
      { path: ["C1"], converted: false },
      { path: ["C2", "C3"], converted: false },
    ];
    expectEffects(markovRemovalEffects(journeys), { C1: 0.2, C2: 0.4, C3: 0.4 });
  });

  it("reproduces Serhii Puzyrov's example ('Markov Chain Attribution – Simple Explanation Of Removal Effect', 2019)", () => {
    // Paths: google ads ×2 conv, mailing conv, google ads > mailing conv, google ads null.
    // The post's transitions: start→ads 4/5, start→mailing 1/5; ads→conv 2/4, ads→mailing 1/4,
    // ads→null 1/4; mailing→conv 2/2.
    // P(conv) = 0.8·(0.5 + 0.25·1) + 0.2·1 = 0.6 + 0.2 = 0.8.
    // Without ads: 0.2 → removal effect 1 − 0.2/0.8 = 0.75.
    // Without mailing: 0.8·0.5 = 0.4 → removal effect 1 − 0.4/0.8 = 0.5.
    // Shares 0.75/1.25 = 0.6 and 0.5/1.25 = 0.4, i.e. 2.4 and 1.6 of the 4 conversions.
    const journeys: Journey[] = [
      { path: ["google ads"], converted: true },
      { path: ["google ads"], converted: true },
      { path: ["mailing"], converted: true },
      { path: ["google ads", "mailing"], converted: true },
      { path: ["google ads"], converted: false },
    ];
    expectEffects(markovRemovalEffects(journeys), { "google ads": 0.6, mailing: 0.4 });
  });

  it("solves chains with loops exactly", () => {
    // Journeys: A → B → A → conv, B → null.
    // start→A 1/2, start→B 1/2; A→B 1/2, A→conv 1/2; B→A 1/2, B→null 1/2.
    // h_A = 1/2 + 1/2·h_B, h_B = 1/2·h_A → h_A = 2/3, h_B = 1/3; P = 1/2·2/3 + 1/2·1/3 = 1/2.
    // Without A: P = 0 → effect 1. Without B: h_A = 1/2, P = 1/4 → effect 1/2.
    // Shares: 1 / 1.5 = 2/3, 0.5 / 1.5 = 1/3.
    const journeys: Journey[] = [
      { path: ["A", "B", "A"], converted: true },
      { path: ["B"], converted: false },
    ];
    expectEffects(markovRemovalEffects(journeys), { A: 2 / 3, B: 1 / 3 });
  });

  it("is unchanged by a channel repeated in a row (self-loops do not change absorption)", () => {
    const once = markovRemovalEffects([
      { path: ["C1", "C2", "C3"], converted: true },
      { path: ["C1"], converted: false },
      { path: ["C2", "C3"], converted: false },
    ]);
    const repeated = markovRemovalEffects([
      { path: ["C1", "C1", "C2", "C3", "C3", "C3"], converted: true },
      { path: ["C1"], converted: false },
      { path: ["C2", "C3"], converted: false },
    ]);
    expectEffects(repeated, Object.fromEntries(once));
  });

  it("has nothing to share when no journey converted", () => {
    expect(markovRemovalEffects([{ path: ["A", "B"], converted: false }]).size).toBe(0);
    expect(markovRemovalEffects([]).size).toBe(0);
  });

  it("ignores journeys without a touch", () => {
    expectEffects(markovRemovalEffects([{ path: [], converted: true }, { path: ["A"], converted: true }]), { A: 1 });
  });
});

it("journeyOf orders a journey's channels by time", () => {
  const t = (session: string, at: number, channel: string): Touchpoint => ({
    visitor_id: "v",
    session_id: session,
    at,
    channel,
    source: null,
    medium: null,
    campaign: null,
    landing_page: null,
    pages: [],
    lead: false,
  });
  expect(journeyOf([t("s3", 30, "Email"), t("s1", 10, "Direct"), t("s2", 10, "Paid Search")], true)).toEqual({
    path: ["Direct", "Paid Search", "Email"],
    converted: true,
  });
});
