import type { TrackerEvent } from "../../collector/protocol";
import { endpoint, loc, prefs, put, store, uid, writeKey } from "./env";

// The one funnel every event leaves through: stamp it, keep it in the retry store, send.
// Delivery is at least once: an event leaves the store only when the collector answered
// (any status but 5xx/429); re-sends are harmless because the collector dedupes on `i`.

const QUEUE = "fh_q";
const VISITOR = "fh_a";
/** Retry store bound: the newest events win (keepalive bodies must stay under 64 KB). */
const MAX_KEPT = 60;

let visitor = store[VISITOR] || put(store, VISITOR, uid());
let queue: TrackerEvent[] = [];
try {
  queue = JSON.parse(store[QUEUE]!) || [];
} catch {}
/** events of this page load whose request has not answered yet (never sent twice at once) */
const inFlight = new Set<TrackerEvent>();

const save = () => put(store, QUEUE, JSON.stringify((queue = queue.slice(-MAX_KEPT))));

export type EventFields = Omit<TrackerEvent, "i" | "t" | "ts" | "u"> & { u?: string };

export function track(t: TrackerEvent["t"], fields: EventFields) {
  if (prefs.fh_o) return;
  queue.push({ i: uid(), t, ts: Date.now(), u: loc.href, ...fields });
  save();
  // One request for everything recorded in this task (identify + page at load, abandon + engagement at pagehide).
  queueMicrotask(flush);
}

function flush() {
  const batch = queue.filter((e) => !inFlight.has(e));
  if (!batch[0]) return;
  batch.map((e) => inFlight.add(e));
  fetch(endpoint, {
    method: "POST",
    // A string body is sent as text/plain: a "simple" request, so no CORS preflight.
    body: JSON.stringify({ k: writeKey, a: visitor, e: batch }),
    keepalive: true,
  })
    .then((r) => {
      // 5xx and 429 are worth another try on the next page; other answers are final.
      if (r.status > 499 || r.status == 429) throw 0;
      queue = queue.filter((e) => !batch.includes(e));
      save();
    })
    .catch(() => batch.map((e) => inFlight.delete(e)));
}

export function optOut(out: boolean) {
  put(prefs, "fh_o", out ? "1" : undefined);
  // Opting out forgets the visitor and drops what was waiting; opting in starts a new visitor.
  queue = [];
  put(store, QUEUE);
  put(store, VISITOR, out ? undefined : (visitor = uid()));
}
