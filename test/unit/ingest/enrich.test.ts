import { describe, expect, it } from "vitest";
import { enrichPageFacts } from "../../../collector/ingest/enrich";

const site = ["acme.com"];

describe("enrichPageFacts", () => {
  it("fills every page, campaign and channel column of a google ad click", () => {
    expect(
      enrichPageFacts("https://acme.com/demo?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=EAI", "https://www.google.com/", undefined, site),
    ).toEqual({
      url: "https://acme.com/demo?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=EAI",
      path: "/demo",
      referrer: "https://www.google.com/",
      referrer_host: "google.com",
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "brand",
      utm_term: null,
      utm_content: null,
      gclid: "EAI",
      msclkid: null,
      li_fat_id: null,
      fbclid: null,
      ttclid: null,
      channel: "Paid Search",
    });
  });

  it("counts a click from one page of the site to another as Direct, not Referral", () => {
    const f = enrichPageFacts("https://acme.com/pricing", "https://blog.acme.com/post", undefined, site);
    expect([f.referrer_host, f.channel]).toEqual([null, "Direct"]);
  });

  it("counts a tweet's link as Organic Social", () => {
    const f = enrichPageFacts("https://acme.com/", "https://t.co/AbC123", undefined, site);
    expect([f.referrer_host, f.channel]).toEqual(["t.co", "Organic Social"]);
  });

  it("uses Segment's context.campaign when the URL has no UTMs", () => {
    const f = enrichPageFacts("https://acme.com/", null, { name: "june", source: "customerio", medium: "email" }, site);
    expect([f.utm_campaign, f.utm_source, f.channel]).toEqual(["june", "customerio", "Email"]);
  });

  it("takes no campaign from a javascript: URL", () => {
    const f = enrichPageFacts("javascript:x?utm_source=google&utm_medium=cpc", null, undefined, site);
    expect([f.url, f.utm_source, f.channel]).toEqual([null, null, "Direct"]);
  });

  it("applies a deployment's rules", () => {
    const rules = [{ channel: "Paid Social" as const, match: { utm_source: "^reddit$", utm_medium: "^promoted$" } }];
    const url = "https://acme.com/?utm_source=reddit&utm_medium=promoted";
    // By default a social source with a medium no rule knows is Organic Social, as in GA4.
    expect(enrichPageFacts(url, null, undefined, site).channel).toBe("Organic Social");
    expect(enrichPageFacts(url, null, undefined, site, rules).channel).toBe("Paid Social");
  });
});
