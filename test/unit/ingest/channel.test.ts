import { describe, expect, it } from "vitest";
import type { Channel } from "../../../collector/events";
import {
  classifyChannel,
  DEFAULT_CHANNEL_RULES,
  validateChannelRules,
  type ChannelInput,
  type ChannelRule,
} from "../../../collector/ingest/enrich/channel";

const none: ChannelInput = {
  utm_source: null,
  utm_medium: null,
  utm_campaign: null,
  gclid: null,
  msclkid: null,
  li_fat_id: null,
  fbclid: null,
  ttclid: null,
  referrer_host: null,
};
const visit = (v: Partial<ChannelInput>): ChannelInput => ({ ...none, ...v });

// [what the visitor did, the enriched facts, the channel a marketer expects]
const table: [string, Partial<ChannelInput>, Channel][] = [
  ["typed the URL", {}, "Direct"],
  ["google ad with UTMs", { utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", referrer_host: "google.com" }, "Paid Search"],
  ["google ad, auto-tagged only", { gclid: "EAIaIQobChMI" }, "Paid Search"],
  ["gclid beats a mistagged medium", { gclid: "x", utm_source: "google", utm_medium: "email" }, "Paid Search"],
  ["bing ad, auto-tagged", { msclkid: "f00", referrer_host: "bing.com" }, "Paid Search"],
  ["bing ppc", { utm_source: "bing", utm_medium: "ppc" }, "Paid Search"],
  ["paidsearch medium, unknown network", { utm_source: "adnet", utm_medium: "paidsearch" }, "Paid Search"],
  ["linkedin ad", { utm_source: "linkedin", utm_medium: "paid_social", li_fat_id: "abc", referrer_host: "linkedin.com" }, "Paid Social"],
  ["linkedin ad, auto-tagged only", { li_fat_id: "abc" }, "Paid Social"],
  ["tiktok ad", { ttclid: "E.C.P" }, "Paid Social"],
  ["facebook cpc", { utm_source: "facebook", utm_medium: "cpc" }, "Paid Social"],
  ["facebook link, fbclid only", { fbclid: "IwAR", referrer_host: "l.facebook.com" }, "Paid Social"],
  ["facebook organic post tagged social keeps its tag", { fbclid: "IwAR", utm_source: "facebook", utm_medium: "social" }, "Organic Social"],
  ["retargeting on twitter", { utm_source: "twitter", utm_medium: "retargeting" }, "Paid Social"],
  ["newsletter", { utm_source: "weekly", utm_medium: "newsletter", utm_campaign: "2024-06" }, "Email"],
  ["e-mail medium, odd case", { utm_source: "hubspot", utm_medium: "E-Mail" }, "Email"],
  ["source says newsletter, no medium", { utm_source: "newsletter" }, "Email"],
  ["gmail in the browser", { referrer_host: "mail.google.com" }, "Email"],
  ["banner", { utm_source: "adroll", utm_medium: "banner" }, "Display"],
  ["cpm on a network", { utm_source: "criteo", utm_medium: "cpm" }, "Display"],
  ["affiliate", { utm_source: "partnerstack", utm_medium: "affiliate" }, "Affiliate"],
  ["tweet", { referrer_host: "t.co" }, "Organic Social"],
  ["linkedin shortener", { referrer_host: "lnkd.in" }, "Organic Social"],
  ["youtube description", { referrer_host: "m.youtube.com" }, "Organic Social"],
  ["hacker news", { referrer_host: "news.ycombinator.com" }, "Organic Social"],
  ["social-network medium", { utm_source: "acme-community", utm_medium: "social-network" }, "Organic Social"],
  ["google search, UK", { referrer_host: "google.co.uk" }, "Organic Search"],
  ["google search, Australia", { referrer_host: "google.com.au" }, "Organic Search"],
  ["duckduckgo", { referrer_host: "duckduckgo.com" }, "Organic Search"],
  ["yahoo search, regional", { referrer_host: "uk.search.yahoo.com" }, "Organic Search"],
  ["ecosia", { referrer_host: "ecosia.org" }, "Organic Search"],
  ["organic medium", { utm_source: "partner", utm_medium: "organic" }, "Organic Search"],
  ["blog link", { referrer_host: "blog.example.org" }, "Referral"],
  ["google docs is not search", { referrer_host: "docs.google.com" }, "Referral"],
  ["a look-alike host is not google", { referrer_host: "google.com.evil.net" }, "Referral"],
  ["print QR code", { utm_source: "flyer", utm_medium: "print" }, "Other"],
  ["medium that fits nothing beats the google referrer", { utm_medium: "qr", referrer_host: "google.com" }, "Other"],
  ["campaign name alone", { utm_campaign: "spring" }, "Direct"],
];

describe("classifyChannel with the default rules", () => {
  it.each(table)("%s", (_what, input, expected) => {
    expect(classifyChannel(visit(input))).toBe(expected);
  });
});

describe("classifyChannel with a deployment's rules", () => {
  const rules: ChannelRule[] = [
    // A partner program tagged with medium=referral should count as Affiliate here.
    { channel: "Affiliate", match: { utm_source: "^partner-", utm_medium: "^referral$" } },
    { channel: "Organic Search", match: { referrer_host: "^(chatgpt\\.com|perplexity\\.ai)$" } },
  ];

  it("checks the deployment's rules before the defaults", () => {
    expect(classifyChannel(visit({ utm_source: "partner-acme", utm_medium: "referral" }), rules)).toBe("Affiliate");
    expect(classifyChannel(visit({ referrer_host: "chatgpt.com" }), rules)).toBe("Organic Search");
    // Without the rules these are Referral.
    expect(classifyChannel(visit({ utm_source: "partner-acme", utm_medium: "referral" }))).toBe("Referral");
    expect(classifyChannel(visit({ referrer_host: "chatgpt.com" }))).toBe("Referral");
  });

  it("needs every field of a rule to match, case-insensitively", () => {
    expect(classifyChannel(visit({ utm_source: "PARTNER-acme", utm_medium: "REFERRAL" }), rules)).toBe("Affiliate");
    expect(classifyChannel(visit({ utm_source: "partner-acme", utm_medium: "email" }), rules)).toBe("Email");
  });

  it("checks rules in order: the first match wins", () => {
    const ordered: ChannelRule[] = [
      { channel: "Display", match: { utm_campaign: "^abm-" } },
      { channel: "Paid Social", match: { utm_campaign: "^abm-linkedin" } },
    ];
    expect(classifyChannel(visit({ utm_campaign: "abm-linkedin-q3" }), ordered)).toBe("Display");
  });

  it("skips a broken rule instead of failing the event", () => {
    const broken = [{ channel: "Email", match: { utm_source: "([" } }, ...rules] as ChannelRule[];
    expect(classifyChannel(visit({ referrer_host: "perplexity.ai" }), broken)).toBe("Organic Search");
  });
});

describe("validateChannelRules", () => {
  it("accepts the default rules", () => {
    expect(validateChannelRules(DEFAULT_CHANNEL_RULES)).toEqual([]);
  });

  it("names each problem", () => {
    expect(
      validateChannelRules([
        { channel: "Podcasts", match: { utm_medium: "^audio$" } },
        { channel: "Email", match: { utm_source: "([" } },
        { channel: "Email", match: {} },
        { channel: "Email", match: { host: "x" } },
      ]),
    ).toEqual([
      "rule 0: channel must be one of Direct, Organic Search, Paid Search, Organic Social, Paid Social, Email, Referral, Display, Affiliate, Other",
      "rule 1: utm_source is not a valid regular expression: ([",
      "rule 2: match needs at least one field",
      'rule 3: unknown field "host" (use utm_source, utm_medium, utm_campaign, referrer_host, source, medium, click_ids)',
    ]);
  });
});

describe("hostile input", () => {
  it("treats non-strings as absent and long values as data", () => {
    const odd = { ...none, utm_source: 42, utm_medium: { $ne: 1 }, referrer_host: "a".repeat(10_000) } as unknown as ChannelInput;
    expect(classifyChannel(odd)).toBe("Referral");
  });
});
