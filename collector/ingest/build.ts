import type { EnrichedEvent, RejectedEvent } from "../events";
import { emailDomain, hashEmail, legacyEmailHash } from "../identity/email";
import type { Site } from "../storage/sites";
import type { ChannelRule } from "./enrich/channel";
import { enrichClient } from "./enrich/client";
import { enrichPageFacts } from "./enrich/index";
import { hasEmail, redactEvent, redactValue, withEmailHashes } from "./redact";
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
  /** the deployment's HASH_SECRET: every email hash is keyed with it (SPEC §13) */
  hashSecret: string;
  /** the snippet's path: the longest it may hold an event before sending it (limits.ts) */
  maxSendDelayMs?: number;
}

const str = (v: unknown, max = 2_000): string | null => (typeof v === "string" && v !== "" ? v.slice(0, max) : null);

/**
 * The address that identifies the sender: traits.email (identify, a submitted form), or the
 * userId of an identify when it is itself an email (common in Segment setups).
 */
function identityEmail(v: ValidEvent): string | null {
  if (typeof v.traits.email === "string" && v.traits.email.trim()) return v.traits.email.trim();
  if (v.type === "identify" && v.userId && hasEmail(v.userId) && emailDomain(v.userId)) return v.userId.trim();
  return null;
}

/** Its keyed hash and domain become columns; the address itself is not kept (SPEC §13). */
async function identity(email: string | null, secret: string) {
  const parsed = email ? emailDomain(email) : null;
  if (!email || !parsed) return { hash: null, legacy: null, domain: null };
  const [hash, legacy] = await Promise.all([hashEmail(email, secret), legacyEmailHash(email)]);
  return { hash, legacy, domain: parsed.domain };
}

export async function buildEvent(raw: ValidEvent, site: Site, facts: RequestFacts): Promise<EnrichedEvent> {
  const email = identityEmail(raw);
  const { email: _dropped, ...traits } = raw.traits;
  // Redacted before anything reads it: URLs, titles, ids, properties, traits, context (SPEC §13).
  const v = await withEmailHashes((hash) => redactEvent({ ...raw, traits }, hash), (e) => hashEmail(e, facts.hashSecret));
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
  const person = await identity(email, facts.hashSecret);

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
    hosting_network: client?.hosting_network ?? false,
    email_hash: person.hash,
    legacy_email_hash: person.legacy,
    email_domain: person.domain,
    properties: JSON.stringify(props),
    traits: JSON.stringify(v.traits),
  };
}

/** A refused event as it is kept for inspection: the payload redacted like an event (SPEC §13). */
export async function buildReject(raw: unknown, siteId: string | null, facts: RequestFacts, code: string, reason: string): Promise<RejectedEvent> {
  let payload: string;
  try {
    payload = JSON.stringify(await withEmailHashes((hash) => redactValue(raw, hash), (e) => hashEmail(e, facts.hashSecret))) ?? "null";
  } catch {
    // Not JSON-serializable (a cycle cannot come from JSON.parse, but be safe): keep nothing.
    payload = "null";
  }
  return {
    reject_id: crypto.randomUUID(),
    site_id: siteId,
    received_at: new Date(facts.receivedAt).toISOString(),
    code,
    reason,
    payload: payload.slice(0, 32 * 1024),
  };
}
