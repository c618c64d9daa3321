// Internationalized domains (SPEC §13 of issue 13's wording: "one form"): domains are stored and
// compared in their ASCII (punycode) form, the one a browser's Origin and the URL parser give,
// and turned back into Unicode only where a person reads them.
import { domainToASCII, domainToUnicode } from "node:url";

/** "Bücher.Example" → "xn--bcher-kva.example"; null when it is not a domain name. */
export function asciiDomain(domain: string): string | null {
  const ascii = domainToASCII(domain.trim().replace(/\.$/, "")).toLowerCase();
  return ascii === "" ? null : ascii;
}

/** "xn--bcher-kva.example" → "bücher.example", for display; the input when it cannot be decoded. */
export function unicodeDomain(domain: string): string {
  return domainToUnicode(domain) || domain;
}
