import { describe, expect, it } from "vitest";
import { spendInput, spendKey, spendRecordsFromCsv } from "../../../collector/marketing/spend-rows";

// The classifier a deployment would use is the channel rules; here a stand-in that says which
// source and medium it was asked about, so the test sees what it was given.
const classify = (source: string | null, medium: string | null) => (source === "google" && medium === "cpc" ? "Paid Search" : "Other");
const ok = { date: "2026-09-01", channel: "Paid Search", source: "google", medium: "cpc", campaign: "brand", amount: 1250.5, currency: "usd", clicks: 830, impressions: 21000 };

describe("spend rows", () => {
  it("normalises a valid row: the channel's own spelling, upper-case currency, counts as numbers", () => {
    expect(spendInput({ ...ok, channel: "paid search", clicks: "830" }, 1, classify)).toEqual({
      row: 1, date: "2026-09-01", channel: "Paid Search", source: "google", medium: "cpc", campaign: "brand", amount: 1250.5, currency: "USD", clicks: 830, impressions: 21000,
    });
  });

  it("classifies a row without a channel from its source and medium, and keeps absent values as empty", () => {
    expect(spendInput({ date: "2026-09-01", source: "google", medium: "cpc", amount: "10", currency: "EUR" }, 2, classify)).toMatchObject({ channel: "Paid Search", campaign: "", clicks: 0, impressions: 0 });
  });

  it.each([
    [{ ...ok, date: "2026-02-30" }, "`date` must be a day"],
    [{ ...ok, date: "09/01/2026" }, "`date` must be a day"],
    [{ ...ok, channel: "LinkedIn Ads" }, "`channel` must be one of Direct"],
    [{ date: "2026-09-01", campaign: "brand", amount: 1, currency: "USD" }, "`channel` is required unless"],
    [{ ...ok, amount: "$1,250" }, "`amount` must be a number"],
    [{ ...ok, amount: -1 }, "`amount` must be a number"],
    [{ ...ok, currency: "" }, "`currency` is required"],
    [{ ...ok, currency: "dollars" }, "`currency` must be a three-letter"],
    [{ ...ok, clicks: 2.5 }, "`clicks` must be a whole number"],
    [{ ...ok, impressions: "many" }, "`impressions` must be a whole number"],
    [{ ...ok, campaign: "x".repeat(201) }, "`campaign` may be at most 200"],
    ["a string", "A row must be an object"],
  ])("refuses %j", (record, reason) => {
    const out = spendInput(record, 7, classify);
    expect(out).toMatchObject({ row: 7 });
    expect((out as { reason: string }).reason).toContain(reason);
  });

  it("reads CSV with any column order and names missing columns", () => {
    expect(spendRecordsFromCsv("Amount,DATE,currency,campaign\n10,2026-09-01,USD,brand\n")).toEqual([{ amount: "10", date: "2026-09-01", currency: "USD", campaign: "brand" }]);
    expect(spendRecordsFromCsv("day,cost\n2026-09-01,10")).toEqual({ error: expect.stringContaining("missing: date, amount, currency") });
  });

  it("keys a row by day, channel, source, medium and campaign", () => {
    const a = spendInput(ok, 1, classify);
    const b = spendInput({ ...ok, amount: 1, channel: undefined }, 2, classify);
    expect(spendKey(a as never)).toBe(spendKey(b as never));
    expect(spendKey(a as never)).not.toBe(spendKey(spendInput({ ...ok, date: "2026-09-02" }, 3, classify) as never));
  });
});
