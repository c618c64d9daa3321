import { describe, expect, it } from "vitest";
import { countTraffic, groupKeys, type Traffic } from "../../../collector/revenue/groups";
import { MixedCurrenciesError, revenueByGroup, type RevenueInput } from "../../../collector/revenue/rpv";
import type { Deal, Touchpoint } from "../../../collector/revenue/types";

const DAY = 86_400_000;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 4, 1); // four months: Jan–Apr
const CLOSE = Date.UTC(2026, 2, 15);

function touch(session: string, visitor: string, days: number, channel: string, extra: Partial<Touchpoint> = {}): Touchpoint {
  return {
    visitor_id: visitor,
    session_id: session,
    at: CLOSE - days * DAY,
    channel,
    source: null,
    medium: null,
    campaign: null,
    landing_page: "/",
    pages: ["/"],
    lead: false,
    ...extra,
  };
}

function deal(id: string, account: string, amount: number, extra: Partial<Deal> = {}): Deal {
  return { id, account_id: account, amount, currency: "USD", created_at: null, closed_at: CLOSE, won: true, ...extra };
}

const traffic = (byGroup: Record<string, Traffic>, total: Traffic) => ({ byGroup: new Map(Object.entries(byGroup)), total });

function input(extra: Partial<RevenueInput>): RevenueInput {
  return {
    deals: [],
    touchesByAccount: new Map(),
    model: "linear",
    keysOf: groupKeys("channel"),
    traffic: traffic({}, { visitors: 0, sessions: 0 }),
    window: { from: FROM, to: TO },
    ...extra,
  };
}

describe("SPEC §6 example: 6,000 visitors a month and 0.75 deals of $1.1M a month", () => {
  // Four months: 4 × 6,000 = 24,000 unique visitors and 4 × 0.75 = 3 won deals of $1.1M.
  // acme:    Paid Search, Email             → linear 1/2 each: 550,000 + 550,000
  // globex:  Organic, Paid Search, Organic  → linear 1/3 each: Organic 733,333.33, Paid 366,666.67
  // initech: no touchpoint                  → 1,100,000 unattributed
  const report = revenueByGroup(
    input({
      deals: [
        deal("d1", "acme", 1_100_000),
        deal("d2", "globex", 1_100_000),
        deal("d3", "initech", 1_100_000),
        deal("lost", "acme", 9_999_999, { won: false }), // lost deals earn nothing
        deal("later", "acme", 9_999_999, { closed_at: TO }), // closed after the window
      ],
      touchesByAccount: new Map([
        ["acme", [touch("s1", "v1", 60, "Paid Search"), touch("s2", "v2", 20, "Email")]],
        ["globex", [touch("s3", "v3", 90, "Organic Search"), touch("s4", "v3", 40, "Paid Search"), touch("s5", "v4", 10, "Organic Search")]],
      ]),
      traffic: traffic(
        {
          "Paid Search": { visitors: 10_000, sessions: 12_500 },
          "Organic Search": { visitors: 9_000, sessions: 11_000 },
          Email: { visitors: 2_000, sessions: 3_000 },
          Direct: { visitors: 5_000, sessions: 6_000 },
        },
        // some visitors came through several channels: 26,000 per channel, 24,000 unique
        { visitors: 24_000, sessions: 32_500 },
      ),
    }),
  );

  it("gives a total revenue per visitor of $137.50", () => {
    // (3 × 1,100,000) / 24,000 = 3,300,000 / 24,000 = 137.50
    expect(report.total).toEqual({ key: "total", visitors: 24_000, sessions: 32_500, revenue: 3_300_000, revenue_per_visitor: 137.5 });
  });

  it("reports the deal without touchpoints as unattributed, not lost", () => {
    expect(report.unattributed).toBe(1_100_000);
  });

  it("gives each channel its share, largest revenue first", () => {
    // Paid Search 550,000 + 366,666.67 = 916,666.67 / 10,000 = 91.67
    // Organic 733,333.33 / 9,000 = 81.48; Email 550,000 / 2,000 = 275; Direct 0
    expect(report.rows.map((r) => r.key)).toEqual(["Paid Search", "Organic Search", "Email", "Direct"]);
    const [paid, organic, email, direct] = report.rows;
    expect(paid.revenue).toBeCloseTo(916_666.67, 2);
    expect(paid.revenue_per_visitor).toBeCloseTo(91.67, 2);
    expect(organic.revenue).toBeCloseTo(733_333.33, 2);
    expect(organic.revenue_per_visitor).toBeCloseTo(81.48, 2);
    expect(email).toEqual({ key: "Email", visitors: 2_000, sessions: 3_000, revenue: 550_000, revenue_per_visitor: 275 });
    expect(direct).toEqual({ key: "Direct", visitors: 5_000, sessions: 6_000, revenue: 0, revenue_per_visitor: 0 });
  });

  it("attributed rows and unattributed add up to the total", () => {
    const attributed = report.rows.reduce((s, r) => s + r.revenue, 0);
    expect(attributed + report.unattributed).toBeCloseTo(report.total.revenue, 6);
  });
});

it("splits a touch's credit evenly over its distinct pages", () => {
  // linear over two touches: 500 each; first touch's pages /pricing, /demo (the repeat counts once) → 250 each
  const report = revenueByGroup(
    input({
      deals: [deal("d1", "acme", 1000)],
      touchesByAccount: new Map([
        ["acme", [touch("s1", "v1", 5, "Direct", { pages: ["/pricing", "/demo", "/pricing"] }), touch("s2", "v1", 1, "Direct")]],
      ]),
      keysOf: groupKeys("page"),
    }),
  );
  expect(Object.fromEntries(report.rows.map((r) => [r.key, r.revenue]))).toEqual({ "/": 500, "/pricing": 250, "/demo": 250 });
  // no visitor in the window for these groups → no ratio rather than a division by zero
  expect(report.rows.every((r) => r.revenue_per_visitor === null)).toBe(true);
});

it("groups by the deal's account segment", () => {
  const segments: Record<string, string> = { acme: "target", globex: "customer" };
  const report = revenueByGroup(
    input({
      deals: [deal("d1", "acme", 300), deal("d2", "globex", 200), deal("d3", "hooli", 100)],
      touchesByAccount: new Map([
        ["acme", [touch("s1", "v1", 5, "Email")]],
        ["globex", [touch("s2", "v2", 5, "Email")]],
        ["hooli", [touch("s3", "v3", 5, "Email")]],
      ]),
      keysOf: groupKeys("account_segment", (id) => segments[id] ?? null),
    }),
  );
  expect(report.rows.map((r) => [r.key, r.revenue])).toEqual([
    ["target", 300],
    ["customer", 200],
    ["(none)", 100],
  ]);
});

describe("currencies", () => {
  const deals = [deal("d1", "acme", 1000), deal("d2", "acme", 500, { currency: "EUR" })];
  const touchesByAccount = new Map([["acme", [touch("s1", "v1", 5, "Email")]]]);

  it("refuses to add dollars to euros when no currency is chosen", () => {
    expect(() => revenueByGroup(input({ deals, touchesByAccount }))).toThrow(MixedCurrenciesError);
    expect(() => revenueByGroup(input({ deals, touchesByAccount }))).toThrow("EUR, USD");
  });

  it("reports the chosen currency and sets the others aside", () => {
    const report = revenueByGroup(input({ deals, touchesByAccount, currency: "usd" }));
    expect(report.currency).toBe("USD");
    expect(report.total.revenue).toBe(1000);
    expect(report.other_currencies).toEqual({ EUR: 500 });
  });
});

describe("countTraffic", () => {
  it("counts unique visitors and sessions per group and in total", () => {
    const sessions = [
      touch("s1", "v1", 9, "Email"),
      touch("s2", "v1", 8, "Email"),
      touch("s3", "v2", 7, "Direct"),
      touch("s4", "v1", 6, "Direct"),
    ].map((t) => ({ touch: t, account_id: null }));
    const counts = countTraffic(sessions, groupKeys("channel"));
    expect(Object.fromEntries(counts.byGroup)).toEqual({ Email: { visitors: 1, sessions: 2 }, Direct: { visitors: 2, sessions: 2 } });
    expect(counts.total).toEqual({ visitors: 2, sessions: 4 });
  });

  it("counts a session in each page it viewed, once in the total", () => {
    const sessions = [{ touch: touch("s1", "v1", 1, "Direct", { pages: ["/", "/pricing"] }), account_id: null }];
    const counts = countTraffic(sessions, groupKeys("page"));
    expect(Object.fromEntries(counts.byGroup)).toEqual({ "/": { visitors: 1, sessions: 1 }, "/pricing": { visitors: 1, sessions: 1 } });
    expect(counts.total).toEqual({ visitors: 1, sessions: 1 });
  });
});
