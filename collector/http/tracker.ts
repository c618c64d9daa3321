import { ingest } from "../ingest/ingest";
import { MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES, MAX_SNIPPET_RESEND_MS } from "../ingest/limits";
import { readTrackerEnvelope, trackerEvents } from "../ingest/tracker-wire";
import type { TrackerAnswer } from "../protocol";
import { readJson } from "./body";
import { ApiError, badRequest } from "./errors";
import * as api from "./api/ingest";
import { implement, type App } from "./routes";
import { authenticateSite, requestFacts } from "./segment";
import { TRACKER_ETAG, TRACKER_JS } from "./tracker-bundle.generated";
import { answerVisitorCookie, chooseVisitorId, readVisitorCookie } from "./visitor-cookie";

// The snippet's two paths. Neutral names on purpose: blockers match "analytics", "collect"…

export function trackerRoutes(app: App): void {
  implement(app, api.trackerScript, (c) => {
    const headers = {
      "content-type": "application/javascript; charset=utf-8",
      // A day fresh, a week stale-while-revalidate: new builds reach pages within a day.
      "cache-control": "public, max-age=86400, stale-while-revalidate=604800",
      etag: TRACKER_ETAG,
      "access-control-allow-origin": "*",
    };
    if (c.req.header("if-none-match") === TRACKER_ETAG) return c.body(null, 304, headers);
    return c.body(TRACKER_JS, 200, headers);
  });

  implement(app, api.trackerEvents, async (c) => {
    const body = await readJson(c, MAX_REQUEST_BYTES);
    const envelope = readTrackerEnvelope(body);
    if ("error" in envelope) throw badRequest("invalid_payload", envelope.error);
    if (envelope.events.length > MAX_EVENTS_PER_REQUEST) {
      throw new ApiError(413, "too_many_events", `A request may hold at most ${MAX_EVENTS_PER_REQUEST} events.`);
    }
    const site = await authenticateSite(c, envelope.writeKey);
    // The cookie's id wins: it outlives script storage (visitor-cookie.ts).
    const cookie = readVisitorCookie(c, envelope.cookie);
    const visitor = chooseVisitorId(envelope.anonymousId, cookie.id);
    const facts = { ...(await requestFacts(c, "browser")), maxSendDelayMs: MAX_SNIPPET_RESEND_MS };
    const result = await ingest(c.env, site, trackerEvents(envelope, visitor), facts);
    answerVisitorCookie(c, cookie, visitor);
    const answer: TrackerAnswer = { success: true, accepted: result.accepted, rejected: result.rejected.length, a: visitor };
    return c.json(answer, 202);
  });
}
