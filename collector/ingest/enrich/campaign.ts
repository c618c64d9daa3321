// UTM parameters and ad click ids from the page URL (SPEC §3), with Segment's
// context.campaign as the fallback for clients that parsed the URL themselves.
import type { EnrichedEvent } from "../../events";

/** The campaign columns of the event row. */
export type Campaign = Pick<
  EnrichedEvent,
  "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "gclid" | "msclkid" | "li_fat_id" | "fbclid" | "ttclid"
>;

/** Segment's context.campaign, as a client sent it (anything may be in it). */
export interface ContextCampaign {
  name?: unknown;
  source?: unknown;
  medium?: unknown;
  term?: unknown;
  content?: unknown;
}

export const CAMPAIGN_FIELDS = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "gclid",
  "msclkid",
  "li_fat_id",
  "fbclid",
  "ttclid",
] as const satisfies readonly (keyof Campaign)[];

const FIELD_SET: ReadonlySet<string> = new Set(CAMPAIGN_FIELDS);
const MAX_VALUE = 200;
// Longer URLs are cut before parsing: the stored URL is 2,000 characters at most anyway.
const MAX_URL = 8_192;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const HASH_ROUTE = /^[^?]*\?/;

/** Trimmed, control characters dropped, at most 200 characters; "" and non-strings are null. */
export function cleanValue(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const s = v.replace(CONTROL_CHARS, "").trim().slice(0, MAX_VALUE).trim();
  return s === "" ? null : s;
}

export function emptyCampaign(): Campaign {
  return {
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    gclid: null,
    msclkid: null,
    li_fat_id: null,
    fbclid: null,
    ttclid: null,
  };
}

/** Fills still-empty fields from a query string; the first non-empty value of a repeated key wins (as GA does). */
function fillFrom(query: string, into: Campaign): void {
  // URLSearchParams decodes %XX and "+" leniently: a malformed escape stays as typed, it never throws.
  for (const [rawKey, rawValue] of new URLSearchParams(query)) {
    const key = rawKey.trim().toLowerCase();
    if (!FIELD_SET.has(key)) continue;
    const field = key as keyof Campaign;
    if (into[field] === null) into[field] = cleanValue(rawValue);
  }
}

function queryAndHash(url: string): { query: string; hash: string } {
  const s = url.slice(0, MAX_URL);
  const hashAt = s.indexOf("#");
  const beforeHash = hashAt === -1 ? s : s.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  return {
    query: queryAt === -1 ? "" : beforeHash.slice(queryAt + 1),
    // Some single-page sites carry UTMs in the fragment ("#/landing?utm_source=x" or "#utm_source=x").
    hash: hashAt === -1 ? "" : s.slice(hashAt + 1).replace(HASH_ROUTE, ""),
  };
}

/**
 * The campaign an event carries. Per field, the page URL's query wins, then its fragment, then
 * Segment's context.campaign (whose `name` is utm_campaign). Never throws.
 */
export function parseCampaign(url: string | null, contextCampaign?: ContextCampaign | null): Campaign {
  const c = emptyCampaign();
  if (typeof url === "string" && url !== "") {
    const { query, hash } = queryAndHash(url);
    if (query) fillFrom(query, c);
    if (hash.includes("=")) fillFrom(hash, c);
  }
  if (contextCampaign && typeof contextCampaign === "object") {
    c.utm_source ??= cleanValue(contextCampaign.source);
    c.utm_medium ??= cleanValue(contextCampaign.medium);
    c.utm_campaign ??= cleanValue(contextCampaign.name);
    c.utm_term ??= cleanValue(contextCampaign.term);
    c.utm_content ??= cleanValue(contextCampaign.content);
  }
  return c;
}

/**
 * A stable key for the campaign an event carries, or null when it carries none. Case-insensitive
 * ("Google" and "google" are one campaign); a new click id is a new key, so a second ad click
 * starts a new session as in GA.
 */
export function campaignKey(c: Campaign): string | null {
  let any = false;
  const parts = CAMPAIGN_FIELDS.map((f) => {
    const v = c[f];
    if (v) any = true;
    // "|" is escaped so that values holding it cannot collide with another split.
    return v ? v.toLowerCase().replaceAll("\\", "\\\\").replaceAll("|", "\\|") : "";
  });
  return any ? parts.join("|") : null;
}
