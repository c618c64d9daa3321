import type { IncomingEvent, TrackerKind } from "../protocol";

// The snippet's compact wire format (collector/protocol.ts, TrackerPayload) → Segment-shaped
// events. Only the envelope is checked here; each event is converted as sent and judged by
// validateEvent like any Segment event, so a bad one is rejected with a reason, not dropped.

/** A request's envelope, checked; its events are converted once the visitor id is settled. */
export interface TrackerEnvelope {
  writeKey: string;
  /** the visitor id the snippet holds (`a`) */
  anonymousId: string;
  /** false when the snippet says no cookie may be read or kept (`g`: Global Privacy Control) */
  cookie: boolean;
  /** the snippet's clock when it sent the request (`t`), for clock correction; validateEvent judges it */
  sentAt: unknown;
  events: unknown[];
}

export type TrackerWireResult = { writeKey: string; events: IncomingEvent[] } | { error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The snippet's automatic events, by their one-letter kind (link clicks: linkKind). */
const AUTOMATIC: Partial<Record<TrackerKind, string>> = {
  s: "form_start",
  f: "form_submit",
  a: "form_abandon",
  e: "engagement",
};

/**
 * File extensions whose links count as downloads (Plausible's list, plus Office's older formats
 * and installers). Kept here, not in the snippet: no visitor downloads it, and it changes
 * without a new snippet.
 */
const DOWNLOAD = /\.(pdf|xlsx?|docx?|txt|rtf|csv|exe|msi|key|pps|pptx?|7z|pkg|rar|gz|zip|avi|mov|mp4|mpe?g|wmv|midi?|mp3|wav|wma|dmg)$/i;

/**
 * A link click (`d`; old snippets also sent `o` and decided themselves): outbound when the link
 * leaves the page's host, a download when its path ends in a file extension of the list, and
 * nothing otherwise (the snippet also reports same-site links such as /about.html).
 */
function linkKind(kind: TrackerKind, link: string | undefined, page: string | undefined): "outbound" | "download" | null {
  if (kind === "o") return "outbound";
  let url: URL;
  try {
    url = new URL(link ?? "");
  } catch {
    return null;
  }
  let pageHost: string | null = null;
  try {
    pageHost = new URL(page ?? "").host;
  } catch {
    // No page URL: the extension alone decides.
  }
  if (pageHost !== null && url.host !== pageHost) return "outbound";
  return DOWNLOAD.test(url.pathname) ? "download" : null;
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

/** A form is named by the first of its id, name and action attributes that is present. */
function formName(n: unknown): string | null {
  if (typeof n === "string") return n || null;
  return Array.isArray(n) ? (n.find((v): v is string => typeof v === "string" && v !== "") ?? null) : null;
}

/** Radio groups and checkbox lists repeat a name: each name once, in page order. */
function fieldNames(l: unknown): string[] {
  return Array.isArray(l) ? [...new Set(l.filter((v): v is string => typeof v === "string" && v !== ""))] : [];
}

function automaticProperties(kind: TrackerKind, e: Json): Json {
  if (kind === "e") {
    const ms = typeof e.m === "number" && e.m > 0 ? Math.round(e.m) : 0;
    // Rubber-band scrolling can report past the bottom.
    const pct = typeof e.s === "number" && e.s > 0 ? Math.min(100, Math.round(e.s)) : 0;
    return { engaged_ms: ms, scroll_pct: pct };
  }
  return { form: formName(e.n), fields: fieldNames(e.l) };
}

function identifyFields(n: unknown): Pick<IncomingEvent, "userId" | "traits"> {
  if (typeof n === "string") return { traits: { email: n } };
  if (!isObject(n)) return { traits: {} };
  const traits = { ...(isObject(n.traits) ? n.traits : {}), ...(text(n.email) ? { email: n.email } : {}) };
  return { userId: n.userId, traits };
}

function convert(e: Json, anonymousId: string, sentAt: unknown): IncomingEvent | null {
  const kind = e.t as TrackerKind;
  const url = text(e.u);
  const page: Json = { url, path: pathOf(url) };
  if (kind === "page") Object.assign(page, { referrer: text(e.r) ?? "", title: text(e.ti) ?? "" });
  const base = {
    messageId: e.i,
    anonymousId,
    // Epoch ms as sent: validateEvent reads numbers, clamps the future and refuses the absurd.
    timestamp: e.ts,
    // One send time per request: the collector corrects the client's clock with it (validate.ts).
    sentAt,
    context: { page, library: { name: "foothold" } },
  };
  if (kind === "o" || kind === "d") {
    const event = linkKind(kind, text(e.n), url);
    return event && { ...base, type: "track", event, properties: { url: text(e.n) ?? null } };
  }
  const automatic = AUTOMATIC[kind];
  if (automatic) return { ...base, type: "track", event: automatic, properties: automaticProperties(kind, e) };
  switch (kind) {
    case "page":
      return { ...base, type: "page", properties: isObject(e.p) ? e.p : {} };
    case "track":
      return { ...base, type: "track", event: e.n, properties: isObject(e.p) ? e.p : {} };
    case "identify":
      return { ...base, type: "identify", ...identifyFields(e.n) };
    case "group":
      return { ...base, type: "group", groupId: e.n, traits: isObject(e.p) ? e.p : {} };
    default:
      // An unknown kind (a typo in foothold('…')) is rejected by validation, with the reason kept.
      return { ...base, type: kind as IncomingEvent["type"] };
  }
}

export function readTrackerEnvelope(body: unknown): TrackerEnvelope | { error: string } {
  if (!isObject(body)) return { error: "The body must be a JSON object {k, a, e}." };
  const writeKey = text(body.k);
  if (!writeKey) return { error: "`k` (the write key) must be a non-empty string." };
  const anonymousId = text(body.a);
  if (!anonymousId) return { error: "`a` (the visitor id) must be a non-empty string." };
  if (!Array.isArray(body.e)) return { error: "`e` must be an array of events." };
  return { writeKey, anonymousId, cookie: !body.g, sentAt: body.t, events: body.e };
}

/** The envelope's events as Segment-shaped events of visitor `anonymousId` (the cookie's id when it wins). */
export function trackerEvents(envelope: TrackerEnvelope, anonymousId = envelope.anonymousId): IncomingEvent[] {
  // Non-objects go on as they are: validateEvent rejects them with its own reason. A click on a
  // same-site page link is no event at all.
  return envelope.events.flatMap((e: unknown) => (isObject(e) ? (convert(e, anonymousId, envelope.sentAt) ?? []) : [e as IncomingEvent]));
}

/** Envelope and events in one step, with the snippet's own visitor id. */
export function fromTrackerPayload(body: unknown): TrackerWireResult {
  const envelope = readTrackerEnvelope(body);
  return "error" in envelope ? envelope : { writeKey: envelope.writeKey, events: trackerEvents(envelope) };
}
