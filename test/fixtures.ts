import type { EnrichedEvent } from "../collector/events";

/** A stored-event row with every column empty but the ones given: a page view by default. */
export function enrichedEvent(fields: Pick<EnrichedEvent, "message_id" | "timestamp"> & Partial<EnrichedEvent>): EnrichedEvent {
  return {
    type: "page", event: null, site_id: "site_t", anonymous_id: "v", user_id: null, group_id: null, previous_id: null,
    received_at: fields.timestamp, url: null, path: null, title: null, referrer: null, referrer_host: null,
    utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null,
    gclid: null, msclkid: null, li_fat_id: null, fbclid: null, ttclid: null, channel: "Direct",
    country: null, region: null, city: null, asn: null, as_org: null, user_agent: null, browser: null, os: null,
    device: null, is_bot: false, bot_reason: null, email_hash: null, email_domain: null, properties: "{}", traits: "{}",
    ...fields,
  };
}
