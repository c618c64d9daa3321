import { describe, expect, it } from "vitest";
import { campaignKey, emptyCampaign, parseCampaign, type Campaign } from "../../../collector/ingest/enrich/campaign";

const with_ = (c: Partial<Campaign>): Campaign => ({ ...emptyCampaign(), ...c });

describe("parseCampaign", () => {
  it("reads every UTM parameter and click id from the page URL", () => {
    const url =
      "https://acme.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=crm&utm_content=ad1" +
      "&gclid=EAI&msclkid=m1&li_fat_id=l1&fbclid=f1&ttclid=t1";
    expect(parseCampaign(url)).toEqual({
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "brand",
      utm_term: "crm",
      utm_content: "ad1",
      gclid: "EAI",
      msclkid: "m1",
      li_fat_id: "l1",
      fbclid: "f1",
      ttclid: "t1",
    });
  });

  it("decodes percent-escapes and plus signs, and trims", () => {
    // %20 and + are spaces, %C3%A9 is é, %2F is /; surrounding spaces go.
    const c = parseCampaign("https://acme.com/?utm_campaign=%20Spring+Sale%C3%A9%2F2024%20&utm_term=b2b%20crm");
    expect(c.utm_campaign).toBe("Spring Saleé/2024");
    expect(c.utm_term).toBe("b2b crm");
  });

  it("keeps a malformed escape as typed instead of failing", () => {
    expect(parseCampaign("https://acme.com/?utm_source=100%&utm_medium=%E0%A4%A").utm_source).toBe("100%");
  });

  it("takes the first non-empty value of a repeated parameter", () => {
    const c = parseCampaign("https://acme.com/?utm_source=&utm_source=linkedin&utm_source=twitter");
    expect(c.utm_source).toBe("linkedin");
  });

  it("matches parameter names case-insensitively", () => {
    expect(parseCampaign("https://acme.com/?UTM_Source=Bing&GCLID=g").utm_source).toBe("Bing");
    expect(parseCampaign("https://acme.com/?UTM_Source=Bing&GCLID=g").gclid).toBe("g");
  });

  it("reads UTMs from a hash route when the query has none", () => {
    const c = parseCampaign("https://acme.com/#/demo?utm_source=g2&utm_medium=referral");
    expect(c).toEqual(with_({ utm_source: "g2", utm_medium: "referral" }));
  });

  it("caps a value at 200 characters", () => {
    expect(parseCampaign(`https://acme.com/?utm_campaign=${"x".repeat(5_000)}`).utm_campaign).toBe("x".repeat(200));
  });

  it("drops control characters", () => {
    expect(parseCampaign("https://acme.com/?utm_source=goo%00gle%0A").utm_source).toBe("google");
  });

  it("falls back to Segment's context.campaign, name → utm_campaign", () => {
    const c = parseCampaign("https://acme.com/", { name: "q3-launch", source: "newsletter", medium: "email", term: " ", content: 7 });
    // term is blank and content is not a string: both stay null.
    expect(c).toEqual(with_({ utm_campaign: "q3-launch", utm_source: "newsletter", utm_medium: "email" }));
  });

  it("lets the URL win over context.campaign, field by field", () => {
    const c = parseCampaign("https://acme.com/?utm_source=linkedin", { source: "facebook", medium: "paid_social" });
    expect(c.utm_source).toBe("linkedin");
    expect(c.utm_medium).toBe("paid_social");
  });

  it("returns an empty campaign for no URL, a URL without a query, or garbage", () => {
    expect(parseCampaign(null)).toEqual(emptyCampaign());
    expect(parseCampaign("https://acme.com/about")).toEqual(emptyCampaign());
    expect(parseCampaign("%%%???&&&==")).toEqual(emptyCampaign());
    expect(parseCampaign(42 as unknown as string, "nope" as unknown as undefined)).toEqual(emptyCampaign());
  });
});

describe("campaignKey", () => {
  it("is null when the event carries no campaign", () => {
    expect(campaignKey(emptyCampaign())).toBeNull();
  });

  it("is the same for the same campaign whatever the letter case", () => {
    const a = campaignKey(with_({ utm_source: "Google", utm_medium: "CPC", utm_campaign: "Brand" }));
    const b = campaignKey(with_({ utm_source: "google", utm_medium: "cpc", utm_campaign: "brand" }));
    expect(a).toBe("google|cpc|brand|||||||");
    expect(b).toBe(a);
  });

  it("differs for a new ad click (a new click id)", () => {
    expect(campaignKey(with_({ gclid: "one" }))).toBe("|||||one||||");
    expect(campaignKey(with_({ gclid: "two" }))).not.toBe(campaignKey(with_({ gclid: "one" })));
  });

  it("cannot be forged by a value holding the separator", () => {
    const split = campaignKey(with_({ utm_source: "a", utm_medium: "b" }));
    const joined = campaignKey(with_({ utm_source: "a|b" }));
    expect(joined).not.toBe(split);
  });
});
