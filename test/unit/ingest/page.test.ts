import { describe, expect, it } from "vitest";
import { normalizeHost, parsePage } from "../../../collector/ingest/enrich/page";

const site = ["acme.com"];

describe("parsePage", () => {
  it("keeps the page URL and path and the referrer's host without www", () => {
    expect(parsePage("https://acme.com/pricing?plan=team#faq", "https://WWW.Google.CO.UK/search?q=acme", site)).toEqual({
      url: "https://acme.com/pricing?plan=team#faq",
      path: "/pricing",
      referrer: "https://www.google.co.uk/search?q=acme",
      referrer_host: "google.co.uk",
    });
  });

  it("treats a referrer on the site's own domain or a subdomain as a self-referral", () => {
    expect(parsePage("https://acme.com/b", "https://acme.com/a", site).referrer_host).toBeNull();
    expect(parsePage("https://acme.com/b", "https://www.acme.com/a", site).referrer_host).toBeNull();
    expect(parsePage("https://acme.com/b", "https://docs.acme.com/start", site).referrer_host).toBeNull();
    // The referrer URL itself is kept: it shows the path inside the site.
    expect(parsePage("https://acme.com/b", "https://docs.acme.com/start", site).referrer).toBe("https://docs.acme.com/start");
  });

  it("treats a referrer on the page's own host as a self-referral even when the domains list misses it", () => {
    expect(parsePage("https://staging.acme.dev/b", "https://staging.acme.dev/a", site).referrer_host).toBeNull();
  });

  it("does not mistake a look-alike domain for the site", () => {
    expect(parsePage("https://acme.com/", "https://notacme.com/", site).referrer_host).toBe("notacme.com");
    expect(parsePage("https://acme.com/", "https://acme.com.evil.io/", site).referrer_host).toBe("acme.com.evil.io");
  });

  it("accepts site domains written as URLs, wildcards or in capitals", () => {
    const domains = ["https://Acme.io:443/", "*.acme-cdn.net"];
    expect(parsePage("https://acme.io/", "https://app.acme.io/x", domains).referrer_host).toBeNull();
    expect(parsePage("https://acme.io/", "https://img.acme-cdn.net/x", domains).referrer_host).toBeNull();
  });

  it("keeps only http(s) URLs", () => {
    const hostile = parsePage("javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", site);
    expect(hostile).toEqual({ url: null, path: null, referrer: null, referrer_host: null });
    expect(parsePage("file:///etc/passwd", "android-app://com.google.android.gm/", site).url).toBeNull();
    expect(parsePage("JaVaScRiPt:void(0)", "ftp://files.example.com/", site)).toEqual({
      url: null,
      path: null,
      referrer: null,
      referrer_host: null,
    });
  });

  it("drops credentials pasted into a URL", () => {
    expect(parsePage("https://bob:hunter2@acme.com/x", "https://u:p@blog.example.org/", site)).toEqual({
      url: "https://acme.com/x",
      path: "/x",
      referrer: "https://blog.example.org/",
      referrer_host: "blog.example.org",
    });
  });

  it("caps URLs at 2,000 characters", () => {
    // "https://acme.com/" is 17 characters, so a 5,000-character path leaves a 2,000-character URL.
    const r = parsePage(`https://acme.com/${"a".repeat(5_000)}`, `https://blog.example.org/?q=${"b".repeat(5_000)}`, site);
    expect(r.url).toHaveLength(2_000);
    expect(r.path).toHaveLength(2_000);
    expect(r.referrer).toHaveLength(2_000);
    expect(r.referrer_host).toBe("blog.example.org");
  });

  it("returns nulls for non-strings, blanks and garbage", () => {
    const empty = { url: null, path: null, referrer: null, referrer_host: null };
    expect(parsePage(undefined, null, site)).toEqual(empty);
    expect(parsePage({ href: "https://acme.com" }, ["https://t.co"], site)).toEqual(empty);
    expect(parsePage("   ", "not a url", site)).toEqual(empty);
    expect(parsePage("https://", "http://exa mple.com/", site)).toEqual(empty);
  });

  it("reads only the start of a megabyte string", () => {
    const r = parsePage(`https://acme.com/${"%".repeat(1_000_000)}`, "x".repeat(1_000_000), site);
    expect(r.url).toBe(`https://acme.com/${"%".repeat(2_000 - 17)}`);
    expect(r.referrer).toBeNull();
  });

  it("copes with a domains list that is not a list of strings", () => {
    const odd = [null, 7, ""] as unknown as string[];
    expect(parsePage("https://acme.com/", "https://t.co/x", odd).referrer_host).toBe("t.co");
    expect(parsePage("https://acme.com/", "https://t.co/x", null as unknown as string[]).referrer_host).toBe("t.co");
  });

  it("takes a hash router's route as the path", () => {
    expect(parsePage("https://acme.com/#/pricing", null, site).path).toBe("/pricing");
    expect(parsePage("https://acme.com/app/#!/plans/team", null, site).path).toBe("/app/plans/team");
    expect(parsePage("https://acme.com/docs#install", null, site).path).toBe("/docs");
  });

  it("lower-cases and punycodes international hosts", () => {
    expect(parsePage("https://acme.com/", "https://www.Bücher.de/", site).referrer_host).toBe("xn--bcher-kva.de");
  });
});

describe("normalizeHost", () => {
  it.each([
    ["WWW.Example.COM.", "example.com"],
    ["https://www.example.com:8443/path?q", "example.com"],
    ["www2.example.com", "example.com"],
    ["www.com", "www.com"],
    ["[::1]:8080", "[::1]"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });
});
