import { describe, expect, it } from "vitest";
import { emailDomain, hashEmail, isPersonalMailDomain, legacyEmailHash, registrableDomain } from "../../../collector/identity/email";

describe("emailDomain", () => {
  it("reduces a mail host to its registrable domain across public suffixes", () => {
    expect(emailDomain("jane@mail.acme.co.uk")).toEqual({ domain: "acme.co.uk", personal: false });
    expect(emailDomain("bob@sydney.acme.com.au")).toEqual({ domain: "acme.com.au", personal: false });
    expect(emailDomain("ann@acme.com")).toEqual({ domain: "acme.com", personal: false });
  });

  it("lower-cases and trims what people type", () => {
    expect(emailDomain("  Jane.Doe@ACME.COM ")).toEqual({ domain: "acme.com", personal: false });
    expect(emailDomain("x@Acme.Co.UK.")).toEqual({ domain: "acme.co.uk", personal: false });
  });

  it("flags free and personal mail, including national and privacy providers", () => {
    for (const email of ["a@gmail.com", "A@Outlook.com", "a@hotmail.co.uk", "a@yahoo.co.uk", "a@yahoo.com.au", "a@proton.me", "a@icloud.com", "a@gmx.de"]) {
      expect(emailDomain(email)?.personal, email).toBe(true);
    }
    // Missing from the package's list, added in EXTRA_PERSONAL_MAIL_DOMAINS.
    for (const email of ["a@fastmail.com", "a@tutanota.com", "a@duck.com", "a@posteo.de", "a@passmail.net"]) {
      expect(emailDomain(email)?.personal, email).toBe(true);
    }
  });

  it("keeps company domains that the provider list names by mistake as businesses", () => {
    expect(emailDomain("jane@facebook.com")).toEqual({ domain: "facebook.com", personal: false });
    expect(emailDomain("li@alibaba.com")).toEqual({ domain: "alibaba.com", personal: false });
    expect(emailDomain("demo@example.com")).toEqual({ domain: "example.com", personal: false });
    // BT staff use bt.com; BT's customers get btinternet.com.
    expect(emailDomain("a@bt.com")?.personal).toBe(false);
    expect(emailDomain("a@btinternet.com")?.personal).toBe(true);
  });

  it("stores internationalised domains in one (punycode) form", () => {
    expect(emailDomain("kim@bücher.de")).toEqual({ domain: "xn--bcher-kva.de", personal: false });
    expect(emailDomain("kim@xn--bcher-kva.de")?.domain).toBe("xn--bcher-kva.de");
  });

  it("rejects anything that is not an email with a registrable domain", () => {
    for (const bad of ["", "   ", "jane", "jane@", "@acme.com", "jane@@acme.com", "jane doe@acme.com", "jane@acme", "jane@co.uk",
      "jane@localhost", "jane@1.2.3.4", "jane@[::1]", "jane@acme..com", "jane@acme.com/x", "jane@acme.com:25", "<script>@x"]) {
      expect(emailDomain(bad), bad).toBeNull();
    }
    expect(emailDomain(42 as unknown as string)).toBeNull();
  });
});

describe("isPersonalMailDomain", () => {
  it("answers for a stored email_domain", () => {
    expect(isPersonalMailDomain("gmail.com")).toBe(true);
    expect(isPersonalMailDomain("GMAIL.COM")).toBe(true);
    expect(isPersonalMailDomain("acme.com")).toBe(false);
    expect(isPersonalMailDomain("facebook.com")).toBe(false);
  });
});

describe("registrableDomain", () => {
  it("strips scheme, www, path, port and case from what a user types for an account", () => {
    expect(registrableDomain("https://www.Acme.co.uk/pricing?x=1")).toBe("acme.co.uk");
    expect(registrableDomain("www.acme.com")).toBe("acme.com");
    expect(registrableDomain("shop.acme.com:8443/cart")).toBe("acme.com");
    expect(registrableDomain("ACME.COM")).toBe("acme.com");
    expect(registrableDomain(" acme.com.au ")).toBe("acme.com.au");
  });

  it("has no answer for hosts without a registrable domain", () => {
    for (const bad of ["", "localhost", "127.0.0.1", "http://[::1]:8787", "co.uk", "com", "not a domain", "https://", "acme..com"]) {
      expect(registrableDomain(bad), bad).toBeNull();
    }
  });
});

describe("hashEmail", () => {
  it("hashes the trimmed lower-cased email with HMAC-SHA256 under the deployment secret", async () => {
    // Known answers, computed independently: `printf %s jane@acme.com | openssl dgst -sha256 -hmac <secret>`.
    const expected = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";
    expect(await hashEmail("jane@acme.com", "test-hash-secret")).toBe(expected);
    expect(await hashEmail("  Jane@ACME.com\n", "test-hash-secret")).toBe(expected);
    // Another deployment's secret gives another hash: a list of addresses can't be matched without it.
    expect(await hashEmail("jane@acme.com", "other-secret")).toBe("376a6d4a582061c8a0b71992ccf8994b6dff61a51efe7d08b015865e828ebfdc");
  });

  it("refuses to hash without a secret instead of hashing plainly", async () => {
    await expect(hashEmail("jane@acme.com", "")).rejects.toThrow(/HASH_SECRET/);
  });
});

describe("legacyEmailHash", () => {
  it("is the plain SHA-256 people were first stored under", async () => {
    // Known answer: `printf %s jane@acme.com | sha256sum`.
    const expected = "7bb9e30283184c3b4bbbf2262a600be7165d7e6f50e424a611aa64394e7ecdb5";
    expect(await legacyEmailHash("  Jane@ACME.com\n")).toBe(expected);
  });
});
