import type { TrackerAnswer, TrackerEvent } from "../../collector/protocol";
import { endpoint, gpc, loc, prefs, put, store, uid, writeKey } from "./env";

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
/** Events handed to a request not answered yet: no other request carries them. */
const flying = new Set<TrackerEvent>();
/** A flush is due at the end of the current task. */
let due: unknown;

/** The retry store keeps the newest 1,000 events (about 200 KB of localStorage). */
const save = () => put(store, "fh_q", JSON.stringify((queue = queue.slice(-1e3))));

export type EventFields = Omit<TrackerEvent, "i" | "t" | "ts" | "u">;

/** `u` is the page the event belongs to: the current one unless a page being left is named. */
export const track = (t: TrackerEvent["t"], fields: EventFields, u = loc.href) => {
  if (prefs.fh_o) return;
  visitor ||= put(store, "fh_a", uid());
  queue.push({ i: uid(), t, ts: Date.now(), u, ...fields });
  // One flush for everything recorded in this task (identify + page at load, abandons +
  // engagement at pagehide), however many events it records.
  due ||= (queueMicrotask(flush), 1);
};

/**
 * Stores the queue, then sends the events no request carries yet, as many as fit while the body
 * is under 10,000 characters: keepalive bodies in flight share a 64 KB quota per page (Fetch
 * standard), and a body past it fails every time. 10,000 characters are at most 30 KB of UTF-8,
 * plus one event the collector accepts (at most 32 KB): under 64 KB. The rest goes when this
 * request is answered.
 */
const flush = () => {
  let size = (due = 0);
  save();
  // Set.add returns the set: truthy, so the event is marked in flight and kept in one step.
  const batch = queue.filter((e) => !flying.has(e) && size < 1e4 && ((size += JSON.stringify(e).length), flying.add(e)));
  const land = () => batch.map(flying.delete, flying);
  batch[0] &&
    fetch(endpoint, {
      method: "POST",
      // A string body is sent as text/plain: a "simple" request, so no CORS preflight. `t` is
      // the send time the collector corrects this clock with; `g` (GPC) says no cookie may be kept.
      body: JSON.stringify({ k: writeKey, a: visitor, t: Date.now(), g: gpc, e: batch }),
      // The first-party visitor cookie (fh_id) goes with it; the collector echoes the Origin.
      credentials: "include",
      keepalive: true,
    }).then(
      (r) => {
        land();
        // 5xx and 429 are worth another try; any other answer is final.
        if (!/^5|429/.test(r.status as unknown as string)) {
          queue = queue.filter((e) => !batch.includes(e));
          flush();
          // The collector recorded the events under the cookie's id when it had one: adopt it,
          // so whichever of the two storages survives holds the same id (not after an opt-out).
          // An error's body has no `a`.
          r.json().then((j: TrackerAnswer) => (visitor &&= put(store, "fh_a", j.a || visitor)), land);
        }
      },
      // Network error: the events stay in the store for the next request or page.
      land,
    );
};

/** 1: opt out (persisted; forgets the visitor and what was waiting); "": opt in again. */
export const optOut = (out: 1 | "") => {
  // Opting out forgets the visitor. Opting in again (only then) makes a new one at once, marked
  // "o": the collector keeps it over the first-party cookie, which still holds the forgotten id
  // (the snippet cannot delete an HttpOnly cookie) and is replaced by it.
  put(store, "fh_a", (visitor = out ? "" : prefs.fh_o ? "o" + uid() : visitor)!);
  put(prefs, "fh_o", out as string);
  if (out) (queue = []), put(store, "fh_q", "");
};
