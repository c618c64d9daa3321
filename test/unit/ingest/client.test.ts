import { describe, expect, it } from "vitest";
import { enrichClient, isDatacenterOrg } from "../../../collector/ingest/enrich/client";

const UA = {
  chromeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  curl: "curl/8.5.0",
  headless:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  lighthouse:
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
};

const berlin = { asn: 3320, asOrganization: "Deutsche Telekom AG", country: "DE", region: "Berlin", city: "Berlin" };

describe("enrichClient", () => {
  it("describes Chrome on a Mac from a home ISP as a person", () => {
    expect(enrichClient({ cf: berlin, userAgent: UA.chromeMac })).toEqual({
      country: "DE",
      region: "Berlin",
      city: "Berlin",
      asn: 3320,
      as_org: "Deutsche Telekom AG",
      user_agent: UA.chromeMac,
      browser: "Chrome 131",
      // Chrome freezes the macOS version in its user agent at 10.15.7.
      os: "Mac OS 10.15.7",
      device: "desktop",
      is_bot: false,
      bot_reason: null,
      hosting_network: false,
    });
  });

  it.each([
    ["iPhone Safari", UA.iphone, "Mobile Safari 17", "iOS 17.5", "mobile"],
    ["iPad Safari", UA.ipad, "Mobile Safari 17", "iOS 17.5", "tablet"],
    ["Edge on Windows", UA.edgeWindows, "Edge 131", "Windows 10", "desktop"],
  ])("parses %s", (_name, ua, browser, os, device) => {
    const c = enrichClient({ cf: berlin, userAgent: ua });
    expect([c.browser, c.os, c.device, c.is_bot]).toEqual([browser, os, device, false]);
  });

  it.each([
    ["Googlebot", UA.googlebot, "user-agent"],
    ["curl", UA.curl, "user-agent"],
    ["HeadlessChrome", UA.headless, "headless"],
    ["Lighthouse", UA.lighthouse, "headless"],
    ["an empty user agent", "", "no-user-agent"],
    ["a blank user agent", "   ", "no-user-agent"],
    ["no user agent", null, "no-user-agent"],
  ])("flags %s as a bot with its reason", (_name, ua, reason) => {
    const c = enrichClient({ cf: berlin, userAgent: ua });
    expect([c.is_bot, c.bot_reason]).toEqual([true, reason]);
  });

  it("marks a normal browser on an AWS address as from a hosting network, leaving the verdict to its session", () => {
    const c = enrichClient({ cf: { asn: 16509, asOrganization: "Amazon.com, Inc.", country: "US" }, userAgent: UA.chromeMac });
    expect(c).toMatchObject({ asn: 16509, as_org: "Amazon.com, Inc.", browser: "Chrome 131", is_bot: false, bot_reason: null, hosting_network: true });
  });

  it("gives the user-agent reason before the network one", () => {
    const c = enrichClient({ cf: { asOrganization: "Google LLC" }, userAgent: UA.googlebot });
    expect(c.bot_reason).toBe("user-agent");
  });

  it("caps the stored user agent at 512 characters and still answers for a 10 KB one", () => {
    const huge = UA.chromeMac + " x".repeat(5_000);
    const c = enrichClient({ cf: null, userAgent: huge });
    expect(c.user_agent).toHaveLength(512);
    expect(c.browser).toBe("Chrome 131");
  });

  it("answers the same from its cache", () => {
    const first = enrichClient({ cf: berlin, userAgent: UA.iphone });
    for (let i = 0; i < 600; i++) enrichClient({ cf: null, userAgent: `${UA.chromeMac} build/${i}` });
    expect(enrichClient({ cf: berlin, userAgent: UA.iphone })).toEqual(first);
  });

  it("ignores request.cf values of the wrong type", () => {
    const cf = { asn: "AS13335", asOrganization: 12, country: ["DE"], region: {}, city: undefined };
    expect(enrichClient({ cf, userAgent: UA.chromeMac })).toMatchObject({
      country: null,
      region: null,
      city: null,
      asn: null,
      as_org: null,
      is_bot: false,
    });
    expect(enrichClient({ cf: { asn: "3320" }, userAgent: UA.chromeMac }).asn).toBe(3320);
  });

  it("survives a user agent that is not a string", () => {
    const c = enrichClient({ cf: undefined, userAgent: { toString: () => "x" } as unknown as string });
    expect([c.user_agent, c.is_bot, c.bot_reason]).toEqual([null, true, "no-user-agent"]);
  });
});

describe("isDatacenterOrg", () => {
  it.each([
    "Amazon.com, Inc.",
    "AMAZON-02",
    "Amazon Technologies Inc.",
    "Google Cloud",
    "GOOGLE-CLOUD-PLATFORM",
    "Microsoft Corporation",
    "MICROSOFT-CORP-MSN-AS-BLOCK",
    "DigitalOcean, LLC",
    "OVH SAS",
    "Hetzner Online GmbH",
    "Linode, LLC",
    "Akamai Connected Cloud",
    "The Constant Company, LLC",
    "Choopa, LLC",
    "Hangzhou Alibaba Advertising Co.,Ltd.",
    "Oracle Corporation",
    "Scaleway S.A.S.",
    "Online S.A.S.",
    "Contabo GmbH",
    "Leaseweb Netherlands B.V.",
  ])("%s is a cloud or hosting network", (org) => {
    expect(isDatacenterOrg(org)).toBe(true);
  });

  it.each([
    "Deutsche Telekom AG",
    "Comcast Cable Communications, LLC",
    "Google Fiber Inc.",
    "Verizon Business",
    "Cloudflare, Inc.",
    "Orange S.A.",
    "British Telecommunications PLC",
    "",
  ])("%s is not", (org) => {
    expect(isDatacenterOrg(org)).toBe(false);
  });
});
