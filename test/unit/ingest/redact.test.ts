import { describe, expect, it } from "vitest";
import { hashEmail } from "../../../collector/identity/email";
import { isSecretName, redactEvent, redactSearch, redactText, redactUrl, redactValue, withEmailHashes } from "../../../collector/ingest/redact";
import type { ValidEvent } from "../../../collector/ingest/validate";

// A readable stand-in for the keyed hash: the answers below are worked out by hand with it.
const h = (email: string) => `H(${email})`;

describe("redactText", () => {
  it("replaces every address in a text by the hash of its lower-cased form", () => {
    expect(redactText("Welcome back, Jane@Acme.com!", h)).toBe("Welcome back, H(jane@acme.com)!");
    expect(redactText("from a.b+tag@mail.acme.co.uk and 'bob@x.io'.", h)).toBe("from H(a.b+tag@mail.acme.co.uk) and 'H(bob@x.io)'.");
    // Percent-encoded as in a URL someone pasted into a property.
    expect(redactText("jane%40acme.com", h)).toBe("H(jane@acme.com)");
    // IDN domains, Unicode or punycode.
    expect(redactText("ü@bücher.de / x@xn--bcher-kva.de", h)).toBe("H(ü@bücher.de) / H(x@xn--bcher-kva.de)");
  });

  it("leaves text without an address alone", () => {
    expect(redactText("Pricing — Acme", h)).toBe("Pricing — Acme");
    expect(redactText("@handle and a@b", h)).toBe("@handle and a@b");
  });
});

describe("isSecretName", () => {
  it("knows secret-like names in any case and spelling", () => {
    for (const name of ["password", "Password", "PASSWD", "user_password", "secret", "client_secret", "token", "access_token", "accessToken", "refresh-token", "api_key", "apiKey", "API-Key", "authorization", "Authorization", "card", "card_number", "cardNumber", "cc", "cvv", "CVC", "pwd", "auth", "x-amz-signature"]) {
      expect(isSecretName(name), name).toBe(true);
    }
  });

  it("keeps ordinary names, UTMs and click ids", () => {
    for (const name of ["plan", "email", "author", "cardinality", "scorecard", "description", "passenger", "utm_source", "gclid", "fbclid", "li_fat_id", "title", "path"]) {
      expect(isSecretName(name), name).toBe(false);
    }
  });
});

describe("redactSearch", () => {
  it("removes parameters carrying an email or a secret-like name, keeping the rest byte for byte", () => {
    expect(redactSearch("?email=jane%40acme.com&token=abc&plan=pro&utm_campaign=spring%20sale&gclid=G1", h)).toBe("?plan=pro&utm_campaign=spring%20sale&gclid=G1");
    expect(redactSearch("?next=jane@acme.com&API_KEY=1&x=1", h)).toBe("?x=1");
    expect(redactSearch("?e-mail=jane&x=1", h)).toBe("?x=1");
    expect(redactSearch("?token=abc", h)).toBe("");
  });

  it("cleans a URL nested in a parameter (a redirect target)", () => {
    expect(redactSearch(`?next=${encodeURIComponent("https://app.acme.com/cb?code=1&access_token=xyz")}`, h)).toBe(`?next=${encodeURIComponent("https://app.acme.com/cb?code=1")}`);
  });
});

describe("redactUrl", () => {
  it("cleans the issue's signup URL: email and token gone, fragment dropped, UTMs kept", () => {
    const url = "https://example.com/signup?email=jane%40acme.com&token=s3cr3t&utm_source=google&utm_medium=cpc&gclid=abc#access_token=ya29.secret";
    expect(redactUrl(url, h)).toBe("https://example.com/signup?utm_source=google&utm_medium=cpc&gclid=abc");
  });

  it("keeps a hash router's route, redacted like a path and query", () => {
    expect(redactUrl("https://example.com/#/pricing", h)).toBe("https://example.com/#/pricing");
    expect(redactUrl("https://example.com/app/#!/users/jane@acme.com?token=1&tab=2", h)).toBe("https://example.com/app/#!/users/H(jane%40acme.com)?tab=2".replace("H(jane%40acme.com)", encodeURIComponent("H(jane@acme.com)")));
    expect(redactUrl("https://example.com/docs#install", h)).toBe("https://example.com/docs");
  });

  it("hashes emails in path segments and drops credentials", () => {
    expect(redactUrl("https://user:pw@example.com/u/jane%40acme.com/settings", h)).toBe(`https://example.com/u/${encodeURIComponent("H(jane@acme.com)")}/settings`);
    expect(redactUrl("https://example.com/u/jane+tag@acme.com", h)).toBe(`https://example.com/u/${encodeURIComponent("H(jane+tag@acme.com)")}`);
  });

  it("takes site-relative URLs, and returns a URL with nothing to remove untouched", () => {
    expect(redactUrl("/signup?password=x&plan=pro", h)).toBe("/signup?plan=pro");
    expect(redactUrl("https://Example.com/Pricing", h)).toBe("https://Example.com/Pricing");
  });
});

describe("redactValue", () => {
  it("redacts at any depth: secrets dropped, emails hashed in values and keys, URLs cleaned", () => {
    const input = {
      plan: "pro",
      password: "hunter2",
      user: { Email: "Jane@Acme.com", name: "Jane", apiKey: "k" },
      people: [{ email: "bob@acme.com", role: "admin" }, { contact: { EMAIL: "eve@acme.com" } }],
      notes: ["call jane@acme.com", 3, null, true],
      "bob@acme.com": 1,
      url: "https://example.com/a?token=1&x=2#frag",
      search: "?email=jane%40acme.com&utm_source=news",
      Authorization: "Bearer abc",
    };
    expect(redactValue(input, h)).toEqual({
      plan: "pro",
      user: { Email: "H(jane@acme.com)", name: "Jane" },
      people: [{ email: "H(bob@acme.com)", role: "admin" }, { contact: { EMAIL: "H(eve@acme.com)" } }],
      notes: ["call H(jane@acme.com)", 3, null, true],
      "H(bob@acme.com)": 1,
      url: "https://example.com/a?x=2",
      search: "?utm_source=news",
    });
  });

  it("answers the very same object when there is nothing to redact", () => {
    const clean = { plan: "pro", tags: ["a", "b"], nested: { n: 1 } };
    expect(redactValue(clean, h)).toBe(clean);
  });
});

describe("redactEvent", () => {
  const event: ValidEvent = {
    type: "track",
    messageId: "m-1",
    anonymousId: "a-1",
    userId: "Jane@Acme.com",
    event: "Signed Up",
    groupId: null,
    previousId: null,
    timestamp: "2026-01-01T00:00:00.000Z",
    originalTimestamp: null,
    properties: { card: { number: "4242" }, plan: "pro" },
    traits: {},
    context: { page: { url: "https://example.com/x?token=1", title: "Hi jane@acme.com", referrer: "https://mail.acme.com/?to=jane@acme.com" } },
  };

  it("redacts the ids (an email as userId), properties and the page in context", () => {
    expect(redactEvent(event, h)).toEqual({
      ...event,
      userId: "H(jane@acme.com)",
      properties: { plan: "pro" },
      context: { page: { url: "https://example.com/x", title: "Hi H(jane@acme.com)", referrer: "https://mail.acme.com/" } },
    });
  });
});

describe("withEmailHashes", () => {
  it("hashes each address it meets with the given (keyed) hash", async () => {
    // `printf %s jane@acme.com | openssl dgst -sha256 -hmac test-hash-secret`
    const jane = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";
    const out = await withEmailHashes((hash) => redactValue({ a: "Jane@Acme.com", b: ["x jane@acme.com"] }, hash), (e) => hashEmail(e, "test-hash-secret"));
    expect(out).toEqual({ a: jane, b: [`x ${jane}`] });
  });

  it("hashes nothing when there is no address", async () => {
    let calls = 0;
    const out = await withEmailHashes((hash) => redactValue({ a: "plain" }, hash), async () => `${++calls}`);
    expect(out).toEqual({ a: "plain" });
    expect(calls).toBe(0);
  });
});
