import { describe, expect, it } from "vitest";
import { chooseVisitorId, firstPartyCookieDomain } from "../../../collector/http/visitor-cookie";

// SPEC §2: the fh_id cookie only when the collector is first-party for the page, on the site's
// registrable domain.

describe("firstPartyCookieDomain", () => {
  it("is the registrable domain a collector subdomain shares with the page", () => {
    expect(firstPartyCookieDomain("t.example.com", "https://www.example.com")).toBe("example.com");
    expect(firstPartyCookieDomain("t.example.co.uk", "https://example.co.uk")).toBe("example.co.uk");
    // a Workers route on the page's own host
    expect(firstPartyCookieDomain("www.example.com", "https://www.example.com")).toBe("example.com");
    expect(firstPartyCookieDomain("T.Example.com", "https://WWW.example.com:8443")).toBe("example.com");
  });

  it("is host-only (\"\") on the page's own host when it has no registrable domain", () => {
    expect(firstPartyCookieDomain("localhost", "http://localhost:3000")).toBe("");
    expect(firstPartyCookieDomain("127.0.0.1", "http://127.0.0.1:5173")).toBe("");
  });

  it("is null for a third-party collector, or a request that names no page", () => {
    expect(firstPartyCookieDomain("collector.vendor.net", "https://www.example.com")).toBeNull();
    // co.uk is a public suffix: two companies, two sites
    expect(firstPartyCookieDomain("t.acme.co.uk", "https://www.other.co.uk")).toBeNull();
    // private suffixes count as browsers count them: two workers.dev accounts are two sites
    expect(firstPartyCookieDomain("foothold.acme.workers.dev", "https://site.other.workers.dev")).toBeNull();
    expect(firstPartyCookieDomain("127.0.0.1", "http://localhost:3000")).toBeNull();
    expect(firstPartyCookieDomain("t.example.com", undefined)).toBeNull();
    expect(firstPartyCookieDomain("t.example.com", "null")).toBeNull();
    expect(firstPartyCookieDomain("t.example.com", "not an origin")).toBeNull();
  });
});

describe("chooseVisitorId", () => {
  it("records a visitor under the cookie's id: it outlives wiped script storage", () => {
    expect(chooseVisitorId("17961653759400.new", "17950000000000.old")).toBe("17950000000000.old");
    expect(chooseVisitorId("17961653759400.new", null)).toBe("17961653759400.new");
  });

  it("keeps an id the snippet made on opting in again over the cookie's forgotten one", () => {
    expect(chooseVisitorId("o17961653759400.fresh", "17950000000000.old")).toBe("o17961653759400.fresh");
  });
});
