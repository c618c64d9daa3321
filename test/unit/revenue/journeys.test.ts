import { describe, expect, it } from "vitest";
import { journeyMedians, journeySummary, median } from "../../../collector/revenue/journeys";
import type { Deal, Touchpoint } from "../../../collector/revenue/types";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 10);
const touch = (visitor: string, day: number, channel: string, hour = 0): Touchpoint => ({
  visitor_id: visitor, session_id: `${visitor}-${day}`, at: T0 + day * DAY + hour * 3_600_000, channel, source: null, medium: null, campaign: null, landing_page: "/", pages: [], lead: false,
});
const deal = (id: string, account: string, closedDay: number | null, won = true): Deal => ({
  id, account_id: account, amount: 1_000, currency: "USD", created_at: null, closed_at: closedDay === null ? null : T0 + closedDay * DAY, won,
});

describe("journeySummary", () => {
  it("two sessions over 30 days by one person: first touch, 30 days, 2 touches, channels as first used", () => {
    const touches = [touch("v1", 30, "Email"), touch("v1", 0, "Paid Search"), touch("v1", 31, "Direct")];
    expect(journeySummary(touches, deal("D", "a", 30))).toEqual({ first_touch_at: T0, days_to_close: 30, touches: 2, visitors: 1, channels: ["Paid Search", "Email"] });
  });

  it("leaves out touches older than the lookback, and rounds days to one decimal", () => {
    const touches = [touch("v1", -400, "Direct"), touch("v2", 0, "Referral"), touch("v1", 2, "Referral", 6)];
    // first kept touch day 0 10:00, close day 10 10:00 + 0 → 10 days; 16:00 on day 2 is a second visitor
    expect(journeySummary(touches, deal("D", "a", 10))).toMatchObject({ days_to_close: 10, touches: 2, visitors: 2, channels: ["Referral"] });
    expect(journeySummary([touch("v1", 0, "Direct")], { ...deal("D", "a", 0), closed_at: T0 + 3 * 3_600_000 }).days_to_close).toBe(0.1);
    expect(journeySummary([], deal("D", "a", 5))).toEqual({ first_touch_at: null, days_to_close: null, touches: 0, visitors: 0, channels: [] });
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNull();
  });
});

describe("journeyMedians", () => {
  it("over several won deals: days 10, 20, 45, 192 → 32.5; touches 1, 2, 3, 31 → 2.5; a deal without touches left out", () => {
    const byAccount = new Map<string, Touchpoint[]>([
      ["a", [touch("a1", 0, "Direct")]],
      ["b", [touch("b1", 0, "Email"), touch("b1", 10, "Direct")]],
      ["c", [touch("c1", 0, "Email"), touch("c2", 5, "Direct"), touch("c1", 40, "Direct")]],
      ["d", Array.from({ length: 31 }, (_, i) => touch("d1", i * 6, "Organic Search"))],
    ]);
    const deals = [deal("A", "a", 10), deal("B", "b", 20), deal("C", "c", 45), deal("D", "d", 192), deal("E", "e", 3), deal("L", "a", 50, false)];
    expect(journeyMedians(deals, byAccount)).toEqual({ median_days_to_close: 32.5, median_touches: 2.5 });
    expect(journeyMedians([deal("E", "e", 3)], byAccount)).toEqual({ median_days_to_close: null, median_touches: null });
  });
});
