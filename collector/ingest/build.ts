import type { EnrichedEvent, RejectedEvent } from "../events";
import { emailDomain, hashEmail } from "../identity/email";
import type { Site } from "../storage/sites";
import type { ChannelRule } from "./enrich/channel";
import { enrichClient } from "./enrich/client";
import { enrichPageFacts } from "./enrich/index";
import { hashEmailField, scrubPayload } from "./emails";
import type { ValidEvent } from "./validate";

/** What the request tells about the sender, beyond the events themselves. */
export interface RequestFacts {
  receivedAt: number;
  /** browser: the tracker or analytics.js (request.cf and the User-Agent describe the visitor);
   *  server: a backend SDK relaying events (only context.ip / context.userAgent describe the visitor) */
  origin: "browser" | "server";
  cf: IncomingRequestCfProperties | Record<string, unknown> | null;
  userAgent: string | null;
  /** the deployment's channel override rules (SPEC §6), checked before the defaults */
  channelRules: readonly ChannelRule[];
}

const str = (v: unknown, max = 2_000): string | null => (typeof v === "string" && v !== "" ? v.slice(0, max) : null);

/** Pulls the email out of traits: the hash and domain are kept, the address is not (SPEC §8). */
async function splitEmail(traits: Record<string, unknown>): Promise<{ traits: Record<string, unknown>; hash: string | null; domain: string | null }> {
  const email = typeof traits.email === "string" ? traits.email.trim() : "";
  if (!email) return { traits, hash: null, domain: null };
  const { email: _dropped, ...rest } = traits;
  const parsed = emailDomain(email);
  return { traits: rest, hash: parsed ? await hashEmail(email) : null, domain: parsed?.domain ?? null };
}

export async function buildEvent(v: ValidEvent, site: Site, facts: RequestFacts): Promise<EnrichedEvent> {
  const page = (typeof v.context.page === "object" && v.context.page !== null ? v.context.page : {}) as Record<string, unknown>;
  const props = v.properties;
  // Segment's page calls carry url/referrer in properties; other calls in context.page.
  const url = str(props.url) ?? str(page.url);
  const referrer = str(props.referrer) ?? str(page.referrer);
  const pageFacts = enrichPageFacts(url, referrer, v.context.campaign as Record<string, unknown> | undefined, site.domains, facts.channelRules);

  const contextUa = str(v.context.userAgent, 512);
  const client =
    facts.origin === "browser"
      ? enrichClient({ cf: facts.cf as Parameters<typeof enrichClient>[0]["cf"], userAgent: contextUa ?? facts.userAgent })
      : contextUa
        ? enrichClient({ cf: null, userAgent: contextUa })
        : null;
  const { traits, hash, domain } = await splitEmail(v.traits);

  return {
    message_id: v.messageId,
    type: v.type,
    event: v.event,
    site_id: site.id,
    anonymous_id: v.anonymousId,
    user_id: v.userId,
    group_id: v.groupId,
    previous_id: v.previousId,
    timestamp: v.timestamp,
    received_at: new Date(facts.receivedAt).toISOString(),
    original_timestamp: v.originalTimestamp,
    title: str(props.title, 500) ?? str(page.title, 500),
    ...pageFacts,
    country: client?.country ?? null,
    region: client?.region ?? null,
    city: client?.city ?? null,
    asn: client?.asn ?? null,
    as_org: client?.as_org ?? null,
    user_agent: client?.user_agent ?? null,
    browser: client?.browser ?? null,
    os: client?.os ?? null,
    device: client?.device ?? null,
    // Server-side calls without a user agent are a backend speaking, not a bot.
    is_bot: client?.is_bot ?? false,
    bot_reason: client?.bot_reason ?? null,
    email_hash: hash,
    email_domain: domain,
    properties: JSON.stringify(await hashEmailField(props)),
    traits: JSON.stringify(traits),
  };
}

export async function buildReject(raw: unknown, siteId: string | null, receivedAt: number, code: string, reason: string): Promise<RejectedEvent> {
  let payload: string;
  try {
    payload = JSON.stringify(await scrubPayload(raw)) ?? "null";
  } catch {
    payload = String(raw);
  }
  return {
    reject_id: crypto.randomUUID(),
    site_id: siteId,
    received_at: new Date(receivedAt).toISOString(),
    code,
    reason,
    payload: payload.slice(0, 32 * 1024),
  };
}
