import { describe, expect, it } from "vitest";
import { asciiDomain, unicodeDomain } from "../../../collector/identity/idn";

describe("IDN domains", () => {
  it("stores one form: punycode, lower-case, as a browser's Origin carries it", () => {
    expect(asciiDomain("Bücher.Example")).toBe("xn--bcher-kva.example");
    expect(asciiDomain("xn--bcher-kva.example")).toBe("xn--bcher-kva.example");
    expect(asciiDomain("example.com.")).toBe("example.com");
    expect(asciiDomain("not a domain")).toBeNull();
  });

  it("shows Unicode where people read it", () => {
    expect(unicodeDomain("xn--bcher-kva.example")).toBe("bücher.example");
    expect(unicodeDomain("example.com")).toBe("example.com");
  });
});
