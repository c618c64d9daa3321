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
 * Short keys keep the snippet small; see tracker/ARCHITECTURE.md.
 */
export interface TrackerPayload {
  /** write key */
  k: string;
  /** anonymous (visitor) id */
  a: string;
  /** events, oldest first */
  e: TrackerEvent[];
}

export interface TrackerEvent {
  /** messageId, unique per event, reused on re-send */
  i: string;
  /** type: "page" | "track" | "identify" | "group" */
  t: "page" | "track" | "identify" | "group";
  /** track: event name (form_start, form_submit, form_abandon, outbound, download, engagement, or custom) */
  n?: string;
  /** client time, epoch milliseconds */
  ts: number;
  /** page URL */
  u: string;
  /** document.referrer (page events) */
  r?: string;
  /** document.title (page events) */
  ti?: string;
  /** properties (track/page) */
  p?: Record<string, unknown>;
  /** identify: email */
  em?: string;
  /** identify: userId */
  ui?: string;
  /** identify/group: traits */
  tr?: Record<string, unknown>;
  /** group: account domain or id */
  g?: string;
}
