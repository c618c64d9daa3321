import { describe, expect, it } from "vitest";
import { countsAsWon, dealType, firstWins, parseDealType, type TypedDeal } from "../../../collector/revenue/deal-type";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15);
const deal = (id: string, extra: Partial<TypedDeal & { account_id: string }> = {}) => ({
  id, account_id: "acme", won: false, created_at: null, closed_at: null, type: null, ...extra,
}) as TypedDeal & { account_id: string };

describe("deal type from the account's won history", () => {
  // Acme: W1 won 40 days ago, W2 won 10 days ago, O1 open since 20 days ago, O0 opened 60 days
  // ago (before the first win), F1 marked won but closing in 5 days.
  const w1 = deal("W1", { won: true, created_at: NOW - 90 * DAY, closed_at: NOW - 40 * DAY });
  const w2 = deal("W2", { won: true, created_at: NOW - 30 * DAY, closed_at: NOW - 10 * DAY });
  const o1 = deal("O1", { created_at: NOW - 20 * DAY });
  const o0 = deal("O0", { created_at: NOW - 60 * DAY });
  const f1 = deal("F1", { won: true, created_at: NOW - 2 * DAY, closed_at: NOW + 5 * DAY });
  const wins = firstWins([w2, o1, f1, w1, o0], NOW);

  it("the first win is new business, later wins expansion", () => {
    expect(wins.get("acme")).toEqual({ id: "W1", closed_at: NOW - 40 * DAY });
    expect(dealType(w1, wins.get("acme")!, NOW)).toBe("new_business");
    expect(dealType(w2, wins.get("acme")!, NOW)).toBe("expansion");
  });

  it("an open deal is expansion once the account has won, new business before", () => {
    expect(dealType(o1, wins.get("acme")!, NOW)).toBe("expansion");
    expect(dealType(o0, wins.get("acme")!, NOW)).toBe("new_business");
    expect(dealType(deal("X"), null, NOW)).toBe("new_business");
  });

  it("a deal closing in the future has not been won yet", () => {
    expect(countsAsWon(f1, NOW)).toBe(false);
    expect(countsAsWon(f1, NOW + 5 * DAY)).toBe(true);
    // created after W1 closed: expansion, though not (yet) a win
    expect(dealType(f1, wins.get("acme")!, NOW)).toBe("expansion");
  });

  it("keeps the imported type, and breaks a tie on the close by id", () => {
    expect(dealType({ ...w2, type: "new_business" }, wins.get("acme")!, NOW)).toBe("new_business");
    expect(dealType({ ...w1, type: "expansion" }, wins.get("acme")!, NOW)).toBe("expansion");
    const tie = firstWins([deal("B", { won: true, closed_at: NOW - DAY }), deal("A", { won: true, closed_at: NOW - DAY })], NOW);
    expect(tie.get("acme")!.id).toBe("A");
  });

  it("reads type as imported", () => {
    expect(parseDealType("New Business")).toBe("new_business");
    expect(parseDealType("expansion")).toBe("expansion");
    expect(parseDealType(" ")).toBeNull();
    expect(parseDealType(undefined)).toBeNull();
    expect(parseDealType("upsell")).toBeUndefined();
    expect(parseDealType(3)).toBeUndefined();
  });
});
