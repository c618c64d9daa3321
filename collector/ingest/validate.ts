import { utf8Bytes } from "../bytes";
import { EVENT_TYPES, type EventType, type IncomingEvent } from "../protocol";
import { MAX_AGE_MS, MAX_DEPTH, MAX_EVENT_BYTES, MAX_FUTURE_SKEW_MS, MAX_ID_LENGTH, MAX_NAME_LENGTH } from "./limits";

/** An event that passed validation: every field has its type, nothing else is trusted yet. */
export interface ValidEvent {
  type: EventType;
  messageId: string;
  anonymousId: string | null;
  userId: string | null;
  event: string | null;
  groupId: string | null;
  previousId: string | null;
  /** the event's time after clock correction, ISO 8601 UTC */
  timestamp: string;
  /** the client's own timestamp as sent, before correction; null when it sent none */
  originalTimestamp: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
}

export type Validation = { ok: true; event: ValidEvent } | { ok: false; code: string; reason: string };

const fail = (code: string, reason: string): Validation => ({ ok: false, code, reason });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function depth(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const v of Object.values(value)) max = Math.max(max, depth(v, limit - 1));
  return max + 1;
}

/** Ids may be strings or numbers (Segment allows both); anything else is refused. */
function idOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v.length <= MAX_ID_LENGTH) return v;
  return undefined;
}

/** Epoch ms of an ISO 8601 string or epoch-ms number; null when absent, undefined when not a time. */
function timeOf(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const t = typeof v === "number" ? v : Date.parse(v);
  // Beyond ±8.64e15 ms there is no Date (toISOString would throw).
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : undefined;
}

/**
 * Segment's clock correction (https://segment.com/docs/connections/spec/common/#timestamps):
 * the client's clock is off by as much as its send time is from our receive time, so
 * timestamp = receivedAt − (sentAt − timestamp). Without a send time the client's time stands.
 * A time still in the future past the allowed skew becomes the receive time.
 */
export function correctedTime(timestamp: number, sentAt: number | null, receivedAt: number): number {
  const t = sentAt === null ? timestamp : receivedAt - (sentAt - timestamp);
  return t > receivedAt + MAX_FUTURE_SKEW_MS ? receivedAt : t;
}

/**
 * `maxSendDelayMs`: the longest a client may hold an event before sending it (the snippet's
 * re-send limit); left out, any delay is taken (a backfill through /v1/batch is months late).
 */
export function validateEvent(raw: unknown, receivedAt: number, newId: () => string, maxSendDelayMs?: number): Validation {
  if (!isObject(raw)) return fail("invalid_event", "An event must be a JSON object.");
  const e = raw as unknown as IncomingEvent;
  if (!(EVENT_TYPES as readonly unknown[]).includes(e.type)) {
    return fail("invalid_type", `\`type\` must be one of ${EVENT_TYPES.join(", ")}.`);
  }
  const json = JSON.stringify(raw);
  // At most 3 UTF-8 bytes per UTF-16 unit: only an event near the limit is counted byte by byte.
  const size = json.length * 3 <= MAX_EVENT_BYTES ? 0 : utf8Bytes(json);
  if (size > MAX_EVENT_BYTES) return fail("event_too_large", `An event may be at most 32 KB; this one is ${size} bytes.`);

  const messageId = idOf(e.messageId);
  const anonymousId = idOf(e.anonymousId);
  const userId = idOf(e.userId);
  if (messageId === undefined) return fail("invalid_message_id", "`messageId` must be a string of at most 256 characters.");
  if (anonymousId === undefined) return fail("invalid_anonymous_id", "`anonymousId` must be a string of at most 256 characters.");
  if (userId === undefined) return fail("invalid_user_id", "`userId` must be a string of at most 256 characters.");
  if (!anonymousId && !userId) return fail("missing_id", "Either `anonymousId` or `userId` is required.");

  let event: string | null = null;
  if (e.type === "track") {
    if (typeof e.event !== "string" || e.event.trim() === "" || e.event.length > MAX_NAME_LENGTH) {
      return fail("invalid_event_name", "A track call needs `event`, a name of 1 to 256 characters.");
    }
    event = e.event.trim();
  } else if ((e.type === "page" || e.type === "screen") && typeof e.name === "string") {
    event = e.name.slice(0, MAX_NAME_LENGTH);
  }
  const groupId = idOf(e.groupId);
  if (groupId === undefined) return fail("invalid_group_id", "`groupId` must be a string of at most 256 characters.");
  if (e.type === "group" && !groupId) return fail("missing_group_id", "A group call needs `groupId`.");
  const previousId = idOf(e.previousId);
  if (previousId === undefined) return fail("invalid_previous_id", "`previousId` must be a string of at most 256 characters.");
  if (e.type === "alias" && !previousId) return fail("missing_previous_id", "An alias call needs `previousId`.");

  for (const [field, value] of [["properties", e.properties], ["traits", e.traits], ["context", e.context]] as const) {
    if (value !== undefined && value !== null && !isObject(value)) return fail(`invalid_${field}`, `\`${field}\` must be a JSON object.`);
    if (depth(value, MAX_DEPTH + 1) > MAX_DEPTH) return fail("too_deep", `\`${field}\` is nested deeper than ${MAX_DEPTH} levels.`);
  }
  const context = isObject(e.context) ? e.context : {};
  const traits = isObject(e.traits) ? e.traits : isObject(context.traits) ? (context.traits as Record<string, unknown>) : {};

  const original = timeOf(e.timestamp);
  if (original === undefined) return fail("invalid_timestamp", "`timestamp` must be an ISO 8601 date.");
  // A send time that is not a time is ignored, not refused: the event's own time still stands.
  const sentAt = timeOf(e.sentAt) ?? null;
  if (maxSendDelayMs !== undefined && original !== null && sentAt !== null && sentAt - original > maxSendDelayMs) {
    return fail("stale_resend", `The event was sent ${Math.floor((sentAt - original) / 86_400_000)} days after it happened; the snippet re-sends for at most ${Math.round(maxSendDelayMs / 86_400_000)} days, so it is not taken.`);
  }
  // No timestamp: the event happened when it was sent (Segment's rule), i.e. at receive time.
  const at = original === null ? receivedAt : correctedTime(original, sentAt, receivedAt);
  if (at < receivedAt - MAX_AGE_MS) return fail("too_old", "`timestamp` is more than a year in the past.");

  return {
    ok: true,
    event: {
      type: e.type,
      // A client that sends no messageId cannot be deduped on re-send; give it one anyway.
      messageId: messageId ?? newId(),
      anonymousId,
      userId,
      event,
      groupId: groupId ?? (typeof context.groupId === "string" ? context.groupId.slice(0, MAX_ID_LENGTH) : null),
      previousId,
      timestamp: new Date(at).toISOString(),
      originalTimestamp: original === null ? null : new Date(original).toISOString(),
      properties: isObject(e.properties) ? e.properties : {},
      traits,
      context,
    },
  };
}
