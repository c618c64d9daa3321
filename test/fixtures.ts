import type { DayActivity } from "../collector/engagement/activity";
import type { EnrichedEvent } from "../collector/events";

/** A stored-event row with every column empty but the ones given: a page view by default. */
export function enrichedEvent(fields: Pick<EnrichedEvent, "message_id" | "timestamp"> & Partial<EnrichedEvent>): EnrichedEvent {
  return {
    type: "page", event: null, site_id: "site_t", anonymous_id: "v", user_id: null, group_id: null, previous_id: null,
    received_at: fields.timestamp, original_timestamp: null, url: null, path: null, title: null, referrer: null, referrer_host: null,
    utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null,
    gclid: null, msclkid: null, li_fat_id: null, fbclid: null, ttclid: null, channel: "Direct",
    country: null, region: null, city: null, asn: null, as_org: null, user_agent: null, browser: null, os: null,
    device: null, is_bot: false, bot_reason: null, email_hash: null, email_domain: null, properties: "{}", traits: "{}",
    ...fields,
  };
}

/** One day of an account's activity, zero but for the counts given. */
export const dayActivity = (day: string, counts: Partial<Omit<DayActivity, "day">>): DayActivity => ({
  day,
  page_views: 0,
  high_intent_page_views: 0,
  form_starts: 0,
  form_submits: 0,
  engaged_seconds: 0,
  ...counts,
});
