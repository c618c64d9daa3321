// Who sent the event (SPEC §3): location and network from request.cf, the parsed user agent,
// and a bot verdict with its reason. Bots are kept and flagged, never dropped here.
import { isbot } from "isbot";
// ua-parser-js 1.x is CommonJS: its default export is the parser in every bundler (the named
// export is missing under vitest's workerd loader).
import UAParser from "ua-parser-js";
import type { EnrichedEvent } from "../../events";
import { isDatacenterOrg } from "./datacenter";

export { isDatacenterOrg } from "./datacenter";

export type ClientFacts = Pick<
  EnrichedEvent,
  "country" | "region" | "city" | "asn" | "as_org" | "user_agent" | "browser" | "os" | "device" | "is_bot" | "bot_reason"
> & { hosting_network: boolean };

/** The parts of request.cf used here; anything may be missing or of the wrong type. */
export interface ClientCf {
  asn?: unknown;
  asOrganization?: unknown;
  country?: unknown;
  region?: unknown;
  city?: unknown;
}

/** The user agent's verdicts; "datacenter-asn" is the session's (collector/pipeline/sessionize.ts verdict). */
export type BotReason = "no-user-agent" | "headless" | "user-agent";

export const MAX_USER_AGENT_CHARS = 512;
// Automation that runs a real browser engine: isbot knows some, but "headless" says more.
const HEADLESS = /headless|phantomjs|slimerjs|lighthouse|puppeteer|playwright/i;
const DIGITS = /^\d{1,10}$/;

interface UaFacts {
  browser: string | null;
  os: string | null;
  device: string | null;
  botReason: BotReason | null;
}

// Bounded: a burst of distinct (or hostile) user agents must not grow the isolate's memory.
const UA_CACHE_SIZE = 500;
const uaCache = new Map<string, UaFacts>();

const joinVersion = (name: string | undefined, version: string | undefined): string | null =>
  name ? (version ? `${name} ${version}` : name) : null;

function parseUserAgent(ua: string): UaFacts {
  const r = new UAParser(ua).getResult();
  const browser = joinVersion(r.browser.name, r.browser.major);
  const os = joinVersion(r.os.name, r.os.version);
  // ua-parser-js leaves desktops untyped; an untyped UA it recognised nothing in stays null.
  const device = r.device.type ?? (browser || os ? "desktop" : null);
  const botReason: BotReason | null = HEADLESS.test(ua) ? "headless" : isbot(ua) ? "user-agent" : null;
  return { browser, os, device, botReason };
}

function cachedUserAgent(ua: string): UaFacts {
  const hit = uaCache.get(ua);
  if (hit) {
    // Re-insert so the Map's insertion order is least-recently-used first.
    uaCache.delete(ua);
    uaCache.set(ua, hit);
    return hit;
  }
  const facts = parseUserAgent(ua);
  if (uaCache.size >= UA_CACHE_SIZE) uaCache.delete(uaCache.keys().next().value as string);
  uaCache.set(ua, facts);
  return facts;
}

const text = (v: unknown, max: number): string | null => {
  if (typeof v !== "string") return null;
  const s = v.trim().slice(0, max);
  return s === "" ? null : s;
};

function asNumber(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && DIGITS.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Location, network, parsed user agent and the user agent's bot verdict for one event; its reason
 * is the first that applies: no-user-agent, headless, user-agent (isbot). A hosting network is
 * only a signal (`hosting_network`): offices share their cloud's ASN (Microsoft's AS8075), so the
 * pipeline judges it per session with the session's other signals (SPEC §3). Never throws.
 */
export function enrichClient(req: { cf?: ClientCf | null; userAgent: string | null }): ClientFacts {
  const cf: ClientCf = req.cf && typeof req.cf === "object" ? req.cf : {};
  const asOrg = text(cf.asOrganization, 200);
  // The stored UA is what the verdict was made on: 512 characters bound the parser's work too.
  const userAgent = text(req.userAgent, MAX_USER_AGENT_CHARS);
  let ua: UaFacts = { browser: null, os: null, device: null, botReason: "no-user-agent" };
  if (userAgent) {
    try {
      ua = cachedUserAgent(userAgent);
    } catch {
      // A parser failure costs the browser name, never the bot verdict.
      ua = { browser: null, os: null, device: null, botReason: HEADLESS.test(userAgent) ? "headless" : isbot(userAgent) ? "user-agent" : null };
    }
  }
  const reason: BotReason | null = ua.botReason;
  return {
    country: text(cf.country, 64),
    region: text(cf.region, 128),
    city: text(cf.city, 128),
    asn: asNumber(cf.asn),
    as_org: asOrg,
    user_agent: userAgent,
    browser: ua.browser,
    os: ua.os,
    device: ua.device,
    is_bot: reason !== null,
    bot_reason: reason,
    hosting_network: asOrg !== null && isDatacenterOrg(asOrg),
  };
}
