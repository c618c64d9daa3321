// The one wide event row: what ingest produces, what the pipeline stores and archives,
// what export hands to the warehouse (SPEC §7). Column names are the warehouse's.

export interface EnrichedEvent {
  message_id: string;
  type: "track" | "page" | "screen" | "identify" | "group" | "alias";
  /** track: the event name; page: the page name if given */
  event: string | null;
  site_id: string;
  anonymous_id: string | null;
  user_id: string | null;
  /** group: the account the visitor states (domain or id); also context.groupId */
  group_id: string | null;
  /** alias: the previous id */
  previous_id: string | null;
  /** when the event happened: the client's time corrected by its clock's error (sentAt vs
   *  received_at, as Segment does), clamped to receive time when in the future; ISO 8601 UTC */
  timestamp: string;
  received_at: string;
  /** the client's timestamp as sent, before clock correction; null when it sent none */
  original_timestamp: string | null;

  url: string | null;
  path: string | null;
  title: string | null;
  referrer: string | null;
  referrer_host: string | null;

  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  gclid: string | null;
  msclkid: string | null;
  li_fat_id: string | null;
  fbclid: string | null;
  ttclid: string | null;
  channel: Channel;

  country: string | null;
  region: string | null;
  city: string | null;
  asn: number | null;
  as_org: string | null;

  user_agent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  is_bot: boolean;
  bot_reason: string | null;

  /** HMAC-SHA256 hex (key: HASH_SECRET) of the lower-cased email from identify traits or a form; the email itself is not kept */
  email_hash: string | null;
  /**
   * plain SHA-256 hex of the same lower-cased email: on the queue only, so the pipeline can move
   * people first identified under the plain hash to the keyed one; stripped before anything is
   * stored. Ingest always sets it (null without an email); messages queued before it existed lack it.
   */
  legacy_email_hash?: string | null;
  /** the email's domain (not personal data on its own; resolution needs it) */
  email_domain: string | null;
  /** the request came from a hosting network (datacenter ASN): a bot signal, not a verdict (SPEC §3) */
  hosting_network?: boolean;

  /** JSON text */
  properties: string;
  /** JSON text (identify/group traits, email removed) */
  traits: string;
}

export const CHANNELS = [
  "Direct",
  "Organic Search",
  "Paid Search",
  "Organic Social",
  "Paid Social",
  "Email",
  "Referral",
  "Display",
  "Affiliate",
  "Other",
] as const;
export type Channel = (typeof CHANNELS)[number];

/** A rejected event, kept with the reason for GET /v1/rejects. */
export interface RejectedEvent {
  reject_id: string;
  site_id: string | null;
  received_at: string;
  code: string;
  reason: string;
  /** the event as sent, JSON text, truncated to 32 KB */
  payload: string;
}

/** One queue message: events of one request, packed (cost is per message). */
export interface QueueMessageBody {
  v: 1;
  events: EnrichedEvent[];
  rejects: RejectedEvent[];
}

/** On the queue a body travels as its JSON text (serialized once, at ingest), or as an object. */
export type QueuedBody = QueueMessageBody | string;

export const decodeBody = (body: QueuedBody): QueueMessageBody =>
  typeof body === "string" ? (JSON.parse(body) as QueueMessageBody) : body;
