import { describe, expect, it } from "vitest";
import { accountInput, recordsFromCsv } from "../../../collector/accounts/import-rows";
import { type DeviceEvidence, resolveUnit } from "../../../collector/accounts/resolution";
import { needsRebase, windowScale } from "../../../collector/accounts/scoring";
import { parseWindow } from "../../../collector/accounts/window";
import { dayNumber } from "../../../collector/engagement/activity";
import { engagementSettings } from "../../../collector/engagement/settings";

const device = (anonymous_id: string, over: Partial<DeviceEvidence> = {}): DeviceEvidence => ({
  anonymous_id, group_id: null, group_at: null, asn: null, as_org: null, ...over,
});
const lookups = {
  byKey: new Map([["crm-7", "acme.com"], ["acme.com", "acme.com"], ["acme.co.uk", "acme.com"]]),
  byDomain: new Map([["acme.com", "acme.com"], ["acme.co.uk", "acme.com"], ["globex.com", "globex.com"]]),
  byAsn: new Map([[64500, "acme.com"], [7922, "hooli.com"]]),
};

describe("resolveUnit", () => {
  it("lets one device's email resolve every device of the person", () => {
    const unit = { devices: [device("laptop"), device("phone")], email_domain: "acme.co.uk" };
    expect(resolveUnit(unit, lookups)).toEqual({ account_domain: "acme.com", method: "email", confidence: 0.9 });
  });

  it("prefers a group call on any device over the person's email", () => {
    const unit = { devices: [device("a", { group_id: "crm-7", group_at: "2026-11-01T00:00:00Z" }), device("b")], email_domain: "globex.com" };
    expect(resolveUnit(unit, lookups)).toMatchObject({ account_domain: "acme.com", method: "group" });
  });

  it("takes the latest group call when two devices name different accounts", () => {
    const unit = {
      devices: [device("a", { group_id: "globex.com", group_at: "2026-11-02T00:00:00Z" }), device("b", { group_id: "acme.com", group_at: "2026-11-01T00:00:00Z" })],
      email_domain: null,
    };
    expect(resolveUnit(unit, lookups)?.account_domain).toBe("globex.com");
  });

  it("resolves a listed office AS, never an ISP's, and never personal mail", () => {
    expect(resolveUnit({ devices: [device("a", { asn: 64500, as_org: "ACME-CORP" })], email_domain: null }, lookups)).toMatchObject({ method: "asn", confidence: 0.5 });
    expect(resolveUnit({ devices: [device("a", { asn: 7922, as_org: "Comcast Cable Communications" })], email_domain: null }, lookups)).toBeNull();
    expect(resolveUnit({ devices: [device("a")], email_domain: "gmail.com" }, lookups)).toBeNull();
  });

  it("names a new account for an unknown business domain", () => {
    expect(resolveUnit({ devices: [device("a")], email_domain: "initech.io" }, lookups)).toEqual({ account_domain: "initech.io", method: "email", confidence: 0.9 });
  });
});

describe("parseWindow", () => {
  const today = new Date("2026-11-23T15:00:00Z");
  it("ends a named window today, counting today as its last day", () => {
    // 30d: 2026-10-25 … 2026-11-23 is 7 + 23 = 30 days.
    expect(parseWindow({}, today)).toEqual({ from: "2026-10-25", to: "2026-11-23" });
    expect(parseWindow({ window: "7d" }, today)).toEqual({ from: "2026-11-17", to: "2026-11-23" });
  });

  it("takes from/to as UTC days, to defaulting to today", () => {
    expect(parseWindow({ from: "2026-11-01T23:30:00-02:00" }, today)).toEqual({ from: "2026-11-02", to: "2026-11-23" });
  });

  it("explains what is wrong", () => {
    expect(parseWindow({ window: "45d" }, today)).toEqual({ error: "`window` must be one of 7d, 30d, 90d (or use from/to)." });
    expect(parseWindow({ from: "2026-02-30" }, today)).toEqual({ error: "`from` must be an ISO date, e.g. 2026-01-31." });
    expect(parseWindow({ from: "2026-11-10", to: "2026-11-01" }, today)).toEqual({ error: "`from` must not be after `to`." });
  });

});

describe("window scores from running sums", () => {
  it("gives the SPEC score from the difference of two running sums", () => {
    // Half-life 14, epoch E = 2026-11-09. Weights 5 on 11-09 and 3 on 11-23 (14 days later):
    // ws = 5 · 2^0 = 5 and 3 · 2^(14/14) = 6; a window 11-10…11-23 holds only the 6 (the sums
    // before it stop at 5): (11 − 5) · 2^(−14/14) = 3 = 3 · 2^0, the SPEC score of that day as of itself.
    const s = { settings: engagementSettings(), epochDay: dayNumber("2026-11-09") };
    expect((11 - 5) * windowScale("2026-11-23", s)).toBe(3);
    // Both days as of 11-23: 11 · 2^(−1) = 5.5 = 3 + 5 · 2^(−14/14).
    expect(11 * windowScale("2026-11-23", s)).toBe(5.5);
  });

  it("asks for a new epoch before 2^(days/half-life) nears a double's range", () => {
    // half-life 1: 900 days after the epoch is the limit.
    const s = { settings: engagementSettings({ half_life_days: 1 }), epochDay: dayNumber("2024-01-01") };
    expect(needsRebase("2026-06-18", s)).toBe(false); // 899 days
    expect(needsRebase("2026-06-20", s)).toBe(true); // 901 days
  });
});

describe("import rows", () => {
  it("reads CSV lists separated by ; and normalises domains and AS numbers", () => {
    const records = recordsFromCsv("Domain,name,crm_id,segment,domains,asns\nhttps://www.Acme.com/,Acme,c1,Target,mail.acme.co.uk; acme.io,AS64500;64501\n");
    expect(Array.isArray(records)).toBe(true);
    expect(accountInput((records as unknown[])[0], 1)).toEqual({
      row: 1, domain: "acme.com", name: "Acme", crm_id: "c1", segment: "target", domains: ["acme.co.uk", "acme.io"], asns: [64500, 64501],
    });
  });

  it("refuses a CSV without a domain column and a row with a bad value, saying which", () => {
    expect(recordsFromCsv("name\nAcme")).toEqual({ error: "The CSV needs a header row with a `domain` column (columns: domain, name, crm_id, segment, domains, asns)." });
    expect(accountInput({ domain: "acme.com", asns: [0] }, 4)).toEqual({ row: 4, reason: '"0" in `asns` is not an AS number (1 to 4294967295).' });
    expect(accountInput({ domain: "co.uk" }, 5)).toEqual({ row: 5, reason: '`domain` "co.uk" is not a registrable domain.' });
  });
});
