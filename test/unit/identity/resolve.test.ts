import { describe, expect, it } from "vitest";
import {
  CONFIDENCE,
  type Resolution,
  resolutionFromAsn,
  resolutionFromEmail,
  resolutionFromEmailDomain,
  resolutionFromGroup,
  strongest,
} from "../../../collector/identity/resolve";

const group = (d: string): Resolution => ({ account_domain: d, method: "group", confidence: 1 });
const email = (d: string): Resolution => ({ account_domain: d, method: "email", confidence: 0.9 });
const asn = (d: string): Resolution => ({ account_domain: d, method: "asn", confidence: 0.5 });

describe("strongest", () => {
  it("keeps a stronger method against a newer weaker one", () => {
    expect(strongest(group("acme.com"), email("globex.com"))).toEqual(group("acme.com"));
    expect(strongest(email("acme.com"), asn("globex.com"))).toEqual(email("acme.com"));
    expect(strongest(group("acme.com"), asn("globex.com"))).toEqual(group("acme.com"));
  });

  it("lets a stronger method replace a weaker one", () => {
    expect(strongest(asn("acme.com"), email("globex.com"))).toEqual(email("globex.com"));
    expect(strongest(email("acme.com"), group("globex.com"))).toEqual(group("globex.com"));
  });

  it("lets the newer answer win at equal strength (a person changed jobs)", () => {
    expect(strongest(email("acme.com"), email("globex.com"))).toEqual(email("globex.com"));
  });

  it("treats a missing answer as no answer", () => {
    expect(strongest(null, asn("acme.com"))).toEqual(asn("acme.com"));
    expect(strongest(email("acme.com"), null)).toEqual(email("acme.com"));
    expect(strongest(null, null)).toBeNull();
  });

  it("records the documented confidences", () => {
    expect(CONFIDENCE).toEqual({ group: 1, email: 0.9, asn: 0.5 });
  });
});

describe("resolutionFromEmail", () => {
  const accountsByDomain = new Map([["acme.io", "acme.com"], ["acme.com", "acme.com"]]);

  it("resolves a work email to the account that lists its domain", () => {
    expect(resolutionFromEmail("jane@eu.acme.io", accountsByDomain)).toEqual(email("acme.com"));
  });

  it("names a new account for an unknown business domain", () => {
    expect(resolutionFromEmail("Raj@Mail.Initech.co.uk", accountsByDomain)).toEqual(email("initech.co.uk"));
  });

  it("never resolves personal mail or garbage", () => {
    expect(resolutionFromEmail("jane@gmail.com", accountsByDomain)).toBeNull();
    expect(resolutionFromEmail("not an email", accountsByDomain)).toBeNull();
  });

  it("works from a stored email_domain too", () => {
    expect(resolutionFromEmailDomain("acme.io", accountsByDomain)).toEqual(email("acme.com"));
    expect(resolutionFromEmailDomain("gmail.com", accountsByDomain)).toBeNull();
    expect(resolutionFromEmailDomain(null, accountsByDomain)).toBeNull();
  });
});

describe("resolutionFromGroup", () => {
  const accountsByKey = new Map([["0015g00000ABCde", "acme.com"], ["acme.io", "acme.com"]]);

  it("resolves a CRM id or an extra domain to its account", () => {
    expect(resolutionFromGroup("0015g00000ABCde", accountsByKey)).toEqual(group("acme.com"));
    expect(resolutionFromGroup("https://www.acme.io/", accountsByKey)).toEqual(group("acme.com"));
  });

  it("takes a stated domain as the account even when none exists yet", () => {
    expect(resolutionFromGroup("Initech.com")).toEqual(group("initech.com"));
  });

  it("cannot resolve an unknown id that is not a domain", () => {
    expect(resolutionFromGroup("acct_42", accountsByKey)).toBeNull();
    expect(resolutionFromGroup("  ", accountsByKey)).toBeNull();
  });
});

describe("resolutionFromAsn", () => {
  const accountsByAsn = new Map([[64500, "acme.com"], [7922, "acme.com"]]);

  it("resolves a listed company AS", () => {
    expect(resolutionFromAsn(64500, "ACME-CORP", accountsByAsn)).toEqual(asn("acme.com"));
  });

  it("never resolves an ISP even when an account lists its number", () => {
    expect(resolutionFromAsn(7922, "Comcast Cable Communications, LLC", accountsByAsn)).toBeNull();
  });

  it("does not resolve unlisted or missing AS numbers", () => {
    expect(resolutionFromAsn(64501, "ACME-CORP", accountsByAsn)).toBeNull();
    expect(resolutionFromAsn(null, null, accountsByAsn)).toBeNull();
  });
});
