// Edge enrichment of one event (SPEC §3): pure, cheap, never throws. Failure policy: an input
// that cannot be understood becomes null (or Direct/Other), the event always goes on.
import type { EnrichedEvent } from "../../events";
import { parseCampaign, type ContextCampaign } from "./campaign";
import { classifyChannel, type ChannelRule } from "./channel";
import { parsePage } from "./page";

export { campaignKey, CAMPAIGN_FIELDS, parseCampaign, type Campaign, type ContextCampaign } from "./campaign";
export { classifyChannel, DEFAULT_CHANNEL_RULES, validateChannelRules } from "./channel";
export type { ChannelInput, ChannelMatch, ChannelRule } from "./channel";
export { SEARCH_SOURCES, SOCIAL_SOURCES } from "./channel-rules";
export { enrichClient, MAX_USER_AGENT_CHARS, type BotReason, type ClientCf, type ClientFacts } from "./client";
export { DATACENTER_ORG_PATTERNS, isDatacenterOrg } from "./datacenter";
export { isOnDomains, normalizeHost, parsePage, type PageFacts } from "./page";

export type PageColumns = Pick<
  EnrichedEvent,
  | "url"
  | "path"
  | "referrer"
  | "referrer_host"
  | "utm_source"
  | "utm_medium"
  | "utm_campaign"
  | "utm_term"
  | "utm_content"
  | "gclid"
  | "msclkid"
  | "li_fat_id"
  | "fbclid"
  | "ttclid"
  | "channel"
>;

/**
 * Every page, campaign and channel column of an event in one call. UTMs and click ids come from
 * the cleaned page URL (only http(s) pages carry a campaign), then from Segment's context.campaign.
 */
export function enrichPageFacts(
  url: unknown,
  referrer: unknown,
  contextCampaign: ContextCampaign | null | undefined,
  siteDomains: readonly string[],
  rules?: readonly ChannelRule[],
): PageColumns {
  const page = parsePage(url, referrer, siteDomains);
  const campaign = parseCampaign(page.url, contextCampaign);
  return { ...page, ...campaign, channel: classifyChannel({ ...campaign, referrer_host: page.referrer_host }, rules) };
}
