import { asciiDomain } from "../identity/idn";
import type { Site } from "../storage/sites";
import { ApiError } from "./errors";

// Sites are cached per isolate, so their domain lists are converted once, not per request.
const converted = new WeakMap<readonly string[], string[]>();

function asciiDomains(domains: readonly string[]): string[] {
  let out = converted.get(domains);
  if (!out) {
    out = domains.map((d) => asciiDomain(d) ?? d.toLowerCase());
    converted.set(domains, out);
  }
  return out;
}

/**
 * Browsers send Origin; a page may send only when its host is one of the site's domains or a
 * subdomain of one (any port). Server-side SDKs send no Origin and are trusted by write key.
 */
export function checkOrigin(site: Site, origin: string | undefined): void {
  if (!origin || origin === "null") return;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    throw forbidden(origin);
  }
  // The browser sends IDN hosts in punycode; domains are stored so (older rows may be Unicode).
  const ok = asciiDomains(site.domains).some((d) => host === d || host.endsWith(`.${d}`));
  if (!ok) throw forbidden(origin);
}

const forbidden = (origin: string) =>
  new ApiError(403, "origin_not_allowed", `Origin ${origin.slice(0, 200)} is not one of this site's domains.`);
