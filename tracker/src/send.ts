import type { TrackerEvent } from "../../collector/protocol";
import { endpoint, loc, prefs, put, store, uid, writeKey } from "./env";

// The one funnel every event leaves through: stamp it, keep it in the retry store, send.
// Delivery is at least once: an event leaves the store only when the collector answered
// (any status but 5xx/429); re-sends are harmless because the collector dedupes on `i`.

// Storage keys are literals (fh_a visitor, fh_q retry store, fh_o opted out): shorter built.
/** created on the first event, so an opted-out visitor never gets one */
let visitor = store.fh_a;
let queue: TrackerEvent[] = [];
try {
  queue = JSON.parse(store.fh_q!);
} catch {}
/** The retry store keeps the newest 60 events (keepalive bodies must stay under 64 KB). */
const save = () => put(store, "fh_q", JSON.stringify((queue = queue.slice(-60))));

export type EventFields = Omit<TrackerEvent, "i" | "t" | "ts" | "u">;

/** `u` is the page the event belongs to: the current one unless a page being left is named. */
export const track = (t: TrackerEvent["t"], fields: EventFields, u = loc.href) => {
  if (prefs.fh_o) return;
  visitor ||= put(store, "fh_a", uid());
  queue.push({ i: uid(), t, ts: Date.now(), u, ...fields });
  save();
  // One request for everything recorded in this task (identify + page at load, abandon + engagement at pagehide).
  queueMicrotask(flush);
};

/**
 * Sends every event not yet acknowledged. One still in flight may go again with the next
 * request; that costs bytes, never a double count (the collector dedupes on `i`).
 */
const flush = () => {
  // Never empty: flush runs only after track() pushed.
  const batch = [...queue];
  fetch(endpoint, {
    method: "POST",
    // A string body is sent as text/plain: a "simple" request, so no CORS preflight.
    body: JSON.stringify({ k: writeKey, a: visitor, e: batch }),
    keepalive: true,
  }).then(
    (r) => {
      // 5xx and 429 are worth another try; any other answer is final.
      if (r.status < 500 && r.status != 429) (queue = queue.filter((e) => !batch.includes(e))), save();
    },
    // Network error: the events stay in the store for the next request or page.
    () => {},
  );
};

/** 1: opt out (persisted; forgets the visitor and what was waiting); "": opt in again. */
export const optOut = (out: 1 | "") => {
  put(prefs, "fh_o", out as string);
  if (out) (queue = []), put(store, "fh_q", ""), put(store, "fh_a", (visitor = ""));
};
