import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { getDomain } from "tldts";

// SPEC §2: when the collector is first-party, /e also keeps the visitor id in a cookie the
// server sets (HttpOnly), so a visitor stays one visitor when the browser wipes script storage
// (Safari ITP: 7 days). The cookie wins over the snippet's id, and the answer tells the snippet
// which id it is, so the snippet adopts it (tracker/ARCHITECTURE.md, "Visitor id"). One
// exception: an id the snippet made on an opt-in wins, so opting out and in again starts a new
// visitor although the snippet cannot delete the HttpOnly cookie.

export const VISITOR_COOKIE = "fh_id";
/** SPEC §2's 400 days, also the longest lifetime browsers keep (RFC 6265bis). */
export const VISITOR_COOKIE_MAX_AGE_S = 400 * 24 * 3600;
/** What the snippet's ids look like (time + base-36 random); anything else in the cookie is ignored. */
const COOKIE_ID = /^[\w.-]{1,128}$/;

/**
 * Whether a cookie the collector sets is first-party for the page, and for which domain:
 * - the registrable domain both hosts share ("t.example.com" serving "www.example.com", or a
 *   Workers route on "www.example.com" itself → "example.com");
 * - "" for the same host without a registrable domain (localhost, an IP): a host-only cookie;
 * - null when the collector is another site (a third-party host: no cookie at all).
 * Private public-suffix entries count (browsers refuse `Domain=workers.dev`), so two
 * *.workers.dev hosts are two sites.
 */
export function firstPartyCookieDomain(collectorHost: string, pageOrigin: string | undefined): string | null {
  if (!pageOrigin || pageOrigin === "null") return null;
  let pageHost: string;
  try {
    pageHost = new URL(pageOrigin).hostname.toLowerCase();
  } catch {
    return null;
  }
  const host = collectorHost.toLowerCase();
  const options = { allowPrivateDomains: true };
  const mine = getDomain(host, options);
  if (mine !== null && mine === getDomain(pageHost, options)) return mine;
  return host === pageHost ? "" : null;
}

/** Ids the snippet makes on an opt-in start with "o" (its other ids start with a digit: the time). */
const OPTED_IN_AGAIN = /^o/;

/** The id a request's events are recorded under: the cookie's, unless the snippet's was made on an opt-in. */
export function chooseVisitorId(snippetId: string, cookieId: string | null): string {
  return cookieId !== null && !OPTED_IN_AGAIN.test(snippetId) ? cookieId : snippetId;
}

export interface VisitorCookie {
  /** the domain the cookie lives on ("" host-only); null: not first-party, no cookie */
  domain: string | null;
  /** false under Global Privacy Control: the snippet's `g`, or the browser's own Sec-GPC header */
  allowed: boolean;
  /** the id the cookie holds, when it may be read and is one of ours */
  id: string | null;
}

/** What the request's cookie says; `snippetAllows` is the snippet's word (no `g` in the body). */
export function readVisitorCookie(c: Context, snippetAllows: boolean): VisitorCookie {
  const domain = firstPartyCookieDomain(new URL(c.req.url).hostname, c.req.header("origin"));
  const allowed = snippetAllows && c.req.header("sec-gpc") !== "1";
  const value = domain !== null && allowed ? getCookie(c, VISITOR_COOKIE) : undefined;
  return { domain, allowed, id: value !== undefined && COOKIE_ID.test(value) ? value : null };
}

/**
 * Answers with the cookie: set to the visitor's id (renewed for another 400 days on every
 * request), or deleted when none may be kept. Nothing when the collector is not first-party.
 */
export function answerVisitorCookie(c: Context, cookie: VisitorCookie, id: string): void {
  if (cookie.domain === null) return;
  const scope = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" as const, ...(cookie.domain ? { domain: cookie.domain } : {}) };
  if (cookie.allowed && COOKIE_ID.test(id)) setCookie(c, VISITOR_COOKIE, id, { ...scope, maxAge: VISITOR_COOKIE_MAX_AGE_S });
  else if (getCookie(c, VISITOR_COOKIE) !== undefined) deleteCookie(c, VISITOR_COOKIE, scope);
}
