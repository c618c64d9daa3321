import type { IncomingEvent, TrackerKind } from "../protocol";

// The snippet's compact wire format (collector/protocol.ts, TrackerPayload) → Segment-shaped
// events. Only the envelope is checked here; each event is converted as sent and judged by
// validateEvent like any Segment event, so a bad one is rejected with a reason, not dropped.

export type TrackerWireResult = { writeKey: string; events: IncomingEvent[] } | { error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The snippet's automatic events, by their one-letter kind. */
const AUTOMATIC: Partial<Record<TrackerKind, string>> = {
  s: "form_start",
  f: "form_submit",
  a: "form_abandon",
  o: "outbound",
  d: "download",
  e: "engagement",
};

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
  if (kind === "o" || kind === "d") return { url: text(e.n) ?? null };
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

function convert(e: Json, anonymousId: string): IncomingEvent {
  const kind = e.t as TrackerKind;
  const url = text(e.u);
  const page: Json = { url, path: pathOf(url) };
  if (kind === "page") Object.assign(page, { referrer: text(e.r) ?? "", title: text(e.ti) ?? "" });
  const base = {
    messageId: e.i,
    anonymousId,
    // Epoch ms as sent: validateEvent reads numbers, clamps the future and refuses the absurd.
    timestamp: e.ts,
    context: { page, library: { name: "foothold" } },
  };
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

export function fromTrackerPayload(body: unknown): TrackerWireResult {
  if (!isObject(body)) return { error: "The body must be a JSON object {k, a, e}." };
  const writeKey = text(body.k);
  if (!writeKey) return { error: "`k` (the write key) must be a non-empty string." };
  const anonymousId = text(body.a);
  if (!anonymousId) return { error: "`a` (the visitor id) must be a non-empty string." };
  if (!Array.isArray(body.e)) return { error: "`e` must be an array of events." };
  // Non-objects go on as they are: validateEvent rejects them with its own reason.
  const events = body.e.map((e: unknown) => (isObject(e) ? convert(e, anonymousId) : (e as IncomingEvent)));
  return { writeKey, events };
}

