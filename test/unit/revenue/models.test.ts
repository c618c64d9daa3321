import { describe, expect, it } from "vitest";
import { attribute, attributeMarkov } from "../../../collector/revenue/models";
import { MODELS, type Credit, type Deal, type Model, type Touchpoint } from "../../../collector/revenue/types";

const DAY = 86_400_000;
const CLOSE = Date.UTC(2026, 5, 30);

/** A session `days` days before the deal's close. */
function touch(session: string, days: number, extra: Partial<Touchpoint> = {}): Touchpoint {
  return {
    visitor_id: "v1",
    session_id: session,
    at: CLOSE - days * DAY,
    channel: "Direct",
    source: null,
    medium: null,
    campaign: null,
    landing_page: "/",
    pages: ["/"],
    lead: false,
    ...extra,
  };
}

function deal(extra: Partial<Deal> = {}): Deal {
  return { id: "d1", account_id: "acme", amount: 1000, currency: "USD", created_at: null, closed_at: CLOSE, won: true, ...extra };
}

/** session → weight, the shape a reader of the report thinks in */
const shares = (credits: Credit[]) => Object.fromEntries(credits.map((c) => [c.touch.session_id, c.weight]));

function expectShares(credits: Credit[], expected: Record<string, number>) {
  const got = shares(credits);
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, w] of Object.entries(expected)) expect(got[k]).toBeCloseTo(w, 12);
  expect(credits.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 12);
}

const EVEN = new Map([["Direct", 1]]);
const run = (model: Model, touches: Touchpoint[], d = deal()) =>
  model === "markov" ? attributeMarkov(touches, d, EVEN) : attribute(model, touches, d);

describe("one touch", () => {
  it.each(MODELS)("%s gives the whole deal to it", (model) => {
    expectShares(run(model, [touch("s1", 3)]), { s1: 1 });
  });
});

describe("two touches (a 14 days, b 7 days before close)", () => {
  const a = touch("a", 14, { lead: true });
  const b = touch("b", 7);
  const d = deal({ created_at: CLOSE - 10 * DAY });
  const cases: [Model, Record<string, number>][] = [
    ["first_touch", { a: 1 }],
    ["last_touch", { b: 1 }],
    ["linear", { a: 0.5, b: 0.5 }],
    ["u_shaped", { a: 0.5, b: 0.5 }],
    // first = a, lead = a (flagged), opportunity = a (the last touch before created_at, 10 days
    // before close). All three milestones on a, rest = {b}: a 30+30+30 = 90%, b 10%.
    ["w_shaped", { a: 0.9, b: 0.1 }],
    // 2^(−14/7) = 1/4, 2^(−7/7) = 1/2; sum 3/4 → a 1/3, b 2/3
    ["time_decay", { a: 1 / 3, b: 2 / 3 }],
    // one channel present → linear split of its share: 1/2 each
    ["markov", { a: 0.5, b: 0.5 }],
  ];
  it.each(cases)("%s", (model, expected) => {
    expectShares(run(model, [b, a], d), expected);
  });
});

describe("five touches 28, 21, 14, 7, 0 days before close", () => {
  const ts = [touch("t0", 28), touch("t1", 21, { lead: true }), touch("t2", 14), touch("t3", 7), touch("t4", 0)];
  // opportunity created 10 days before close: the last touch before it is t2
  const d = deal({ created_at: CLOSE - 10 * DAY });
  const cases: [Model, Record<string, number>][] = [
    ["first_touch", { t0: 1 }],
    ["last_touch", { t4: 1 }],
    ["linear", { t0: 0.2, t1: 0.2, t2: 0.2, t3: 0.2, t4: 0.2 }],
    // 40% first, 40% last, 20% / 3 middle touches
    ["u_shaped", { t0: 0.4, t1: 0.2 / 3, t2: 0.2 / 3, t3: 0.2 / 3, t4: 0.4 }],
    // first t0 30%, lead t1 30%, opportunity t2 30%, rest t3, t4 share 10% → 5% each
    ["w_shaped", { t0: 0.3, t1: 0.3, t2: 0.3, t3: 0.05, t4: 0.05 }],
    // 2^-4, 2^-3, 2^-2, 2^-1, 2^0 = 1/16, 2/16, 4/16, 8/16, 16/16; sum 31/16 → 1/31 … 16/31
    ["time_decay", { t0: 1 / 31, t1: 2 / 31, t2: 4 / 31, t3: 8 / 31, t4: 16 / 31 }],
  ];
  it.each(cases)("%s", (model, expected) => {
    expectShares(attribute(model, [...ts].reverse(), d), expected);
  });
});

it("time_decay halves a touch per week before close: 0, 7, 14 days → 4/7, 2/7, 1/7", () => {
  // weights 1, 1/2, 1/4; sum 7/4 → 4/7, 2/7, 1/7
  expectShares(attribute("time_decay", [touch("d0", 0), touch("d7", 7), touch("d14", 14)], deal()), {
    d0: 4 / 7,
    d7: 2 / 7,
    d14: 1 / 7,
  });
});

describe("ties in time", () => {
  // Two visitors' sessions starting in the same millisecond: session_id decides, whatever the input order.
  const x = touch("s-b", 5, { visitor_id: "v2" });
  const y = touch("s-a", 5, { visitor_id: "v1" });
  it.each([[[x, y]], [[y, x]]])("first and last touch do not depend on input order", (input) => {
    expectShares(attribute("first_touch", input, deal()), { "s-a": 1 });
    expectShares(attribute("last_touch", input, deal()), { "s-b": 1 });
  });
  it("returns credits in time order with the tie broken by session_id", () => {
    expect(attribute("linear", [x, y], deal()).map((c) => c.touch.session_id)).toEqual(["s-a", "s-b"]);
  });
});

describe("lookback", () => {
  it("counts touches from exactly 365 days before close up to the close, not older, not after", () => {
    const ts = [touch("old", 366), touch("edge", 365), touch("close", 0), { ...touch("after", 0), at: CLOSE + 1 }];
    expectShares(attribute("linear", ts, deal()), { edge: 0.5, close: 0.5 });
  });
  it("honours a shorter lookback", () => {
    const ts = [touch("t40", 40), touch("t20", 20), touch("t10", 10)];
    expectShares(attribute("first_touch", ts, deal(), { lookbackDays: 30 }), { t20: 1 });
  });
});

describe("a deal with no touches", () => {
  it.each(MODELS)("%s returns no credit, so the caller reports it unattributed", (model) => {
    expect(run(model, [])).toEqual([]);
    expect(run(model, [touch("late", -3)])).toEqual([]); // only a touch after the close
  });
});

describe("w_shaped when milestones coincide", () => {
  it("three touches on three milestones: 1/3 each (no rest, the 10% goes 1:1:1)", () => {
    const ts = [touch("t0", 30), touch("t1", 20, { lead: true }), touch("t2", 10)];
    expectShares(attribute("w_shaped", ts, deal({ created_at: CLOSE - 5 * DAY })), { t0: 1 / 3, t1: 1 / 3, t2: 1 / 3 });
  });
  it("two touches, lead on the first: 2/3 and 1/3", () => {
    // first = lead = t0, opportunity = t1 (last before created_at); no rest → t0 2 × 1/3, t1 1/3
    const ts = [touch("t0", 30, { lead: true }), touch("t1", 20)];
    expectShares(attribute("w_shaped", ts, deal({ created_at: CLOSE - 5 * DAY })), { t0: 2 / 3, t1: 1 / 3 });
  });
  it("lead on the first touch: 60% there, 30% opportunity, 10% over the rest", () => {
    // milestones t0, t0, t2; rest t1, t3 → 5% each
    const ts = [touch("t0", 30, { lead: true }), touch("t1", 25), touch("t2", 20), touch("t3", 5)];
    expectShares(attribute("w_shaped", ts, deal({ created_at: CLOSE - 10 * DAY })), { t0: 0.6, t1: 0.05, t2: 0.3, t3: 0.05 });
  });
  it("no lead flagged and created_at unknown: lead falls on the first touch, opportunity on the last", () => {
    // milestones t0, t0, t3; rest t1, t2 → 5% each
    const ts = [touch("t0", 30), touch("t1", 25), touch("t2", 20), touch("t3", 5)];
    expectShares(attribute("w_shaped", ts, deal()), { t0: 0.6, t1: 0.05, t2: 0.05, t3: 0.3 });
  });
  it("opportunity created before every touch: it falls on the first touch too", () => {
    // milestones t0, t0 (lead), t0 (nearest to created_at); rest t1, t2 → 90%, 5%, 5%
    const ts = [touch("t0", 30, { lead: true }), touch("t1", 20), touch("t2", 10)];
    expectShares(attribute("w_shaped", ts, deal({ created_at: CLOSE - 40 * DAY })), { t0: 0.9, t1: 0.05, t2: 0.05 });
  });
});

describe("markov for one deal", () => {
  const effects = new Map([
    ["Email", 0.5],
    ["Paid Search", 0.3],
    ["Direct", 0.2],
  ]);
  it("shares by removal effect over the channels present, split over each channel's touches", () => {
    // present: Email 0.5, Paid Search 0.3, Display (no effect) → total 0.8
    // Email 0.5/0.8 = 0.625 over two touches = 0.3125 each; Paid Search 0.3/0.8 = 0.375; Display 0
    const ts = [
      touch("e1", 30, { channel: "Email" }),
      touch("p1", 20, { channel: "Paid Search" }),
      touch("e2", 10, { channel: "Email" }),
      touch("x1", 5, { channel: "Display" }),
    ];
    expectShares(attributeMarkov(ts, deal(), effects), { e1: 0.3125, p1: 0.375, e2: 0.3125 });
  });
  it("falls back to linear when no channel present has an effect", () => {
    const ts = [touch("x1", 20, { channel: "Display" }), touch("x2", 10, { channel: "Affiliate" })];
    expectShares(attributeMarkov(ts, deal(), effects), { x1: 0.5, x2: 0.5 });
  });
  it("refuses to run without effects computed over all journeys", () => {
    expect(() => attribute("markov", [touch("s1", 1)], deal())).toThrow(/removal effects/);
  });
});
