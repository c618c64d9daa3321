// The page and where the visitor came from (SPEC §3): only http(s) URLs are kept, and a
// referrer on the site's own domains is a self-referral, not a Referral.

export interface PageFacts {
  url: string | null;
  path: string | null;
  referrer: string | null;
  /** lower-cased, without "www."; null when absent, unparsable or the site's own */
  referrer_host: string | null;
}

export const MAX_URL_CHARS = 2_000;
// Parsing is linear in length; events are 32 KB at most, but bound the work regardless.
const MAX_PARSE_CHARS = 16_384;
const LEADING_WWW = /^www\d*\.(?=.+\.)/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
const PATH_PART = /[/?#].*$/s;
const PORT = /:\d*$/;
const WILDCARD = /^\*\./;

/** An http(s) URL without credentials, or null. Never throws. */
function httpUrl(v: unknown): URL | null {
  if (typeof v !== "string") return null;
  // Only the first 16 KB are read: the kept URL is 2,000 characters anyway.
  const s = v.slice(0, MAX_PARSE_CHARS).trim();
  if (s === "") return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  // javascript:, data:, file:, chrome-extension: … say nothing about a page of the site.
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (!u.hostname) return null;
  // user:password@ in a URL is a secret someone pasted by mistake; never store it.
  u.username = "";
  u.password = "";
  return u;
}

/** "WWW.Example.COM." → "example.com"; also accepts "https://example.com:8443/x" as a domain setting. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase().replace(SCHEME, "").replace(PATH_PART, "").replace(PORT, "");
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h.replace(LEADING_WWW, "");
}

// Sites are cached per isolate, so their domain arrays are normalized once, not per event.
const normalized = new WeakMap<readonly string[], string[]>();

function siteHosts(domains: readonly string[]): string[] {
  let hosts = normalized.get(domains);
  if (!hosts) {
    hosts = domains
      .filter((d): d is string => typeof d === "string")
      .map((d) => normalizeHost(d.trim().replace(WILDCARD, "")))
      .filter((d) => d !== "");
    normalized.set(domains, hosts);
  }
  return hosts;
}

/** The host is one of the domains or a subdomain of one ("app.acme.com" is on "acme.com"). */
export function isOnDomains(host: string, domains: readonly string[]): boolean {
  for (const dom of siteHosts(domains)) {
    if (host === dom || host.endsWith("." + dom)) return true;
  }
  return false;
}

const ROUTE = /^#!?(\/[^?#]*)/;

/**
 * The page's path; a hash router's route is the page ("/#/pricing" is /pricing, "/app/#/plans"
 * is /app/plans). Other fragments never get here: redaction dropped them (SPEC §13).
 */
function pathOf(u: URL): string {
  const route = ROUTE.exec(u.hash);
  return route ? u.pathname.replace(/\/$/, "") + route[1] : u.pathname;
}

/**
 * The page's URL and path and the referrer's URL and host. A referrer on the page's own host or
 * on one of the site's domains (or their subdomains) keeps its URL but gets no referrer_host, so
 * navigation inside the site never counts as a Referral. Never throws.
 */
export function parsePage(url: unknown, referrer: unknown, siteDomains: readonly string[]): PageFacts {
  const page = httpUrl(url);
  const ref = httpUrl(referrer);
  const domains = Array.isArray(siteDomains) ? siteDomains : [];

  let referrerHost: string | null = null;
  if (ref) {
    const host = normalizeHost(ref.hostname);
    const pageHost = page ? normalizeHost(page.hostname) : null;
    const self = host === pageHost || isOnDomains(host, domains);
    referrerHost = self || host === "" ? null : host;
  }

  return {
    url: page ? page.href.slice(0, MAX_URL_CHARS) : null,
    path: page ? pathOf(page).slice(0, MAX_URL_CHARS) : null,
    referrer: ref ? ref.href.slice(0, MAX_URL_CHARS) : null,
    referrer_host: referrerHost,
  };
}
