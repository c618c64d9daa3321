import { describe, expect, it } from "vitest";
import { dealInput, dealRecordsFromCsv } from "../../../collector/revenue/deal-rows";

const ok = { id: "OPP-1", account: "acme.com", amount: 275000, currency: "usd", stage: "closed_won", created_at: "2026-09-02", closed_at: "2026-09-29T15:30:00Z", won: true };

describe("deal rows", () => {
  it("normalises a valid row: upper-case currency, UTC instants, a bare date at midnight", () => {
    expect(dealInput(ok, 1)).toEqual({
      row: 1, id: "OPP-1", account: "acme.com", amount: 275000, currency: "USD", stage: "closed_won",
      created_at: "2026-09-02T00:00:00.000Z", closed_at: "2026-09-29T15:30:00.000Z", won: true, type: null,
    });
  });

  it("takes an optional type: new_business or expansion, in any case or spelling of the space", () => {
    expect(dealInput({ ...ok, type: "expansion" }, 1)).toMatchObject({ type: "expansion" });
    expect(dealInput({ ...ok, type: "New Business" }, 1)).toMatchObject({ type: "new_business" });
    expect(dealInput({ ...ok, type: "" }, 1)).toMatchObject({ type: null });
  });

  it("reads a date-time without an offset as UTC, and converts an offset to UTC", () => {
    expect(dealInput({ ...ok, closed_at: "2026-09-29 15:30" }, 1)).toMatchObject({ closed_at: "2026-09-29T15:30:00.000Z" });
    expect(dealInput({ ...ok, closed_at: "2026-09-29T15:30:00+02:00" }, 1)).toMatchObject({ closed_at: "2026-09-29T13:30:00.000Z" });
  });

  it.each([
    [{ ...ok, id: "" }, "`id` is required"],
    [{ ...ok, account: undefined }, "`account` is required"],
    [{ ...ok, amount: "$275,000" }, "`amount` must be a number"],
    [{ ...ok, amount: -5 }, "`amount` must be a number"],
    [{ ...ok, currency: "dollars" }, "`currency` must be a three-letter"],
    [{ ...ok, currency: "" }, "`currency` is required"],
    [{ ...ok, closed_at: "2026-02-30" }, "`closed_at` must be an ISO 8601"],
    [{ ...ok, closed_at: "29/09/2026" }, "`closed_at` must be an ISO 8601"],
    [{ ...ok, created_at: "2026-10-01" }, "`closed_at` is before `created_at`"],
    [{ ...ok, won: "maybe" }, "`won` must be true or false"],
    [{ ...ok, closed_at: "" }, "A won deal needs `closed_at`"],
    [{ ...ok, type: "upsell" }, "`type` must be new_business or expansion"],
    ["OPP-1", "A row must be an object"],
  ])("refuses %j with a reason", (record, reason) => {
    expect(dealInput(record, 7)).toEqual({ row: 7, reason: expect.stringContaining(reason) });
  });

  it("takes CSV with columns in any order and spelled in any case; won as yes/no", () => {
    const rows = dealRecordsFromCsv("\uFEFFWon,Amount,ID,Account,Currency,closed_at\nyes,1200.50,D-1,CRM-9,EUR,2026-09-01\n");
    expect(rows).toEqual([{ won: "yes", amount: "1200.50", id: "D-1", account: "CRM-9", currency: "EUR", closed_at: "2026-09-01" }]);
    expect(dealInput((rows as Record<string, string>[])[0], 1)).toMatchObject({ amount: 1200.5, won: true, account: "CRM-9", stage: null, created_at: null });
  });

  it("names the missing columns of a CSV header", () => {
    expect(dealRecordsFromCsv("deal,value\nx,1")).toEqual({ error: expect.stringContaining("missing: id, account, amount") });
  });
});
