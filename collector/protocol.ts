// Wire types shared by the tracker (tracker/) and the collector.
// The tracker speaks a compact format on POST /e; Segment clients speak Segment's format on
// /v1/*. Both become an IncomingEvent before validation, so everything after the HTTP layer
// handles one shape.

/** One event as a client sent it, in Segment's vocabulary (https://segment.com/docs/connections/spec/). */
export interface IncomingEvent {
  type: EventType;
  messageId?: unknown;
  anonymousId?: unknown;
  userId?: unknown;
  event?: unknown; // track: the event name
  name?: unknown; // page: the page name
  groupId?: unknown; // group
  previousId?: unknown; // alias
  timestamp?: unknown;
  sentAt?: unknown;
  properties?: unknown;
  traits?: unknown;
  context?: unknown;
  writeKey?: unknown;
}

export const EVENT_TYPES = ["track", "page", "screen", "identify", "group", "alias"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The tracker's body on POST /e (sent as text/plain JSON so no CORS preflight happens).
 * Short keys and one-letter kinds keep the snippet small: every name the snippet does not
 * have to carry is bytes every visitor does not download. collector/ingest/tracker-wire.ts
 * turns it into Segment-shaped events; tracker/ARCHITECTURE.md documents it.
 */
export interface TrackerPayload {
  /** write key */
  k: string;
  /** anonymous (visitor) id; one made on an opt-in starts with "o" and wins over the cookie */
  a: string;
  /** the snippet's clock when it sent the request, epoch ms: the collector corrects event times by it */
  t?: number;
  /** set under Global Privacy Control: no cookie may be read or kept (one held is deleted) */
  g?: unknown;
  /** events, oldest first */
  e: TrackerEvent[];
}

/** POST /e's 202 answer. `a` is the id the events were recorded under: the first-party cookie's when it had one, which the snippet then adopts. */
export interface TrackerAnswer {
  success: true;
  accepted: number;
  rejected: number;
  a: string;
}

/**
 * Event kinds: the four Segment calls by name, and the snippet's automatic track events by letter:
 * s form_start, f form_submit, a form_abandon, e engagement, d a link click (outbound, download
 * or nothing: the collector decides), o outbound (sent by older snippets only).
 */
export type TrackerKind = "page" | "track" | "identify" | "group" | "s" | "f" | "a" | "o" | "d" | "e";

/** identify's argument: an email, or the object form */
export type TrackerIdentity = string | { email?: string; userId?: string; traits?: Record<string, unknown> };

export interface TrackerEvent {
  /** messageId, unique per event, reused on re-send */
  i: string;
  t: TrackerKind;
  /** client time, epoch milliseconds */
  ts: number;
  /** URL of the page the event belongs to (engagement and abandon name the page being left) */
  u: string;
  /**
   * track: the event name; group: the account (domain or id); identify: TrackerIdentity;
   * s/f/a: the form's [id, name, action] attributes (the first present names it); d/o: the link URL
   */
  n?: string | (string | null)[] | TrackerIdentity;
  /** track: properties; group: traits */
  p?: Record<string, unknown>;
  /** page: referrer (the previous view for SPA navigation) */
  r?: string;
  /** page: document.title */
  ti?: string;
  /** s/f/a: field names (never values) */
  l?: string[];
  /** e: engaged milliseconds since the previous report for this page (sum per page view) */
  m?: number;
  /** e: deepest scroll since the previous report, percent (max per page view) */
  s?: number;
}
