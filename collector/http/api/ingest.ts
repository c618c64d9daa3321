import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../../protocol";
import { byWriteKey, ErrorBody, errors, json, open, ref } from "./define";

// Ingest (SPEC §3): the snippet's endpoint and Segment's HTTP Tracking API. Their bodies are
// described here and judged by collector/ingest/validate.ts, per event, so that one bad event
// refuses only itself (kept in GET /v1/rejects with its reason); bench/schema.mjs measured a zod
// schema at 1.3× the hand-written validator's CPU per event, on the path that must be fastest.

const id = z.union([z.string().max(256), z.number()]);
const object = z.record(z.string(), z.unknown());

/** One Segment call (https://segment.com/docs/connections/spec/), as /v1/batch and /v1/<type> take it. */
export const SegmentEvent = z
  .object({
    type: z.enum(EVENT_TYPES).openapi({ description: "set by the path on /v1/<type>" }),
    messageId: id.optional().openapi({ description: "dedupe key: a re-sent event counts once" }),
    anonymousId: id.optional(),
    userId: id.optional().openapi({ description: "anonymousId or userId is required" }),
    event: z.string().min(1).max(256).optional().openapi({ description: "track: the event name (required)" }),
    name: z.string().optional().openapi({ description: "page/screen: the page name" }),
    groupId: id.optional().openapi({ description: "group: the account (required)" }),
    previousId: id.optional().openapi({ description: "alias: the previous id (required)" }),
    timestamp: z.union([z.string(), z.number()]).optional().openapi({ description: "ISO 8601 (or epoch ms); default: receive time" }),
    properties: object.optional(),
    traits: object.optional(),
    context: object.optional().openapi({ description: "page, campaign, ip, userAgent, groupId, traits…" }),
    writeKey: z.string().optional().openapi({ description: "instead of Basic auth" }),
  })
  .openapi("SegmentEvent", { description: "At most 32 KB, nested at most 16 levels." });

export const SegmentBatch = z
  .object({
    batch: z.array(SegmentEvent).max(2000),
    context: object.optional().openapi({ description: "merged under each event's own context" }),
    writeKey: z.string().optional(),
  })
  .openapi("SegmentBatch", { description: "At most 500 KB and 2,000 events." });

export const TrackerPayload = z
  .object({
    k: z.string().openapi({ description: "the site's write key" }),
    a: z.string().openapi({ description: "the visitor's anonymous id" }),
    e: z
      .array(
        z.object({
          i: z.string().openapi({ description: "messageId" }),
          t: z.enum(["page", "track", "identify", "group", "s", "f", "a", "o", "d", "e"]).openapi({ description: "kind: s form_start, f form_submit, a form_abandon, o outbound, d download, e engagement" }),
          ts: z.number().openapi({ description: "client time, epoch ms" }),
          u: z.string().openapi({ description: "page URL" }),
          n: z.unknown().optional().openapi({ description: "track: name; group: account; identify: email or { email, userId, traits }; forms: [id, name, action]; o/d: link URL" }),
          p: object.optional(),
          r: z.string().optional().openapi({ description: "page: referrer" }),
          ti: z.string().optional().openapi({ description: "page: title" }),
          l: z.array(z.string()).optional().openapi({ description: "forms: field names (never values)" }),
          m: z.number().optional().openapi({ description: "engagement: engaged ms" }),
          s: z.number().optional().openapi({ description: "engagement: scroll percent" }),
        }),
      )
      .max(2000),
  })
  .openapi("TrackerPayload", { description: "collector/protocol.ts; sent as text/plain so no CORS preflight happens" });

/** Described in the document only (see above): registered as components by createApp. */
export const DOCUMENTED_ONLY = { SegmentEvent, SegmentBatch, TrackerPayload } as const;

const Rejected = z.object({ index: z.number().int(), code: z.string(), message: z.string() }).openapi("RejectedEvent");

const segmentResponses = {
  200: json(z.object({ success: z.boolean(), rejected: z.array(Rejected).optional().openapi({ description: "the events refused, with reasons (the others are kept)" }) }), "Accepted: durable on the queue, counted once per messageId"),
  400: json(ErrorBody.extend({ rejected: z.array(Rejected).optional() }), "Malformed body, or every event refused (reasons listed)"),
  ...errors(401, 403, 413, 415),
};

const segmentBody = (schema: string) => ({
  required: true,
  description: "JSON (also text/plain, as analytics.js sends); gzip allowed (Content-Encoding); limits apply after inflating",
  content: { "application/json": { schema: ref(schema) }, "text/plain": { schema: ref(schema) } },
});

export const segmentBatch = createRoute({
  method: "post", path: "/v1/batch", tags: ["ingest"], summary: "Segment batch: many track/page/identify/group/alias calls", ...byWriteKey,
  request: { body: segmentBody("SegmentBatch") },
  responses: segmentResponses,
});

/** /v1/track, /v1/page, … : one route per Segment call type. */
export const segmentCall = (type: (typeof EVENT_TYPES)[number]) =>
  createRoute({
    method: "post", path: `/v1/${type}`, tags: ["ingest"], summary: `Segment ${type} call`, ...byWriteKey,
    request: { body: segmentBody("SegmentEvent") },
    responses: segmentResponses,
  });

/**
 * analytics.js (`@segment/analytics-next`) posts to `<apiHost>/<first letter of the type>` and,
 * batching, to `<apiHost>/b`, with `text/plain` JSON bodies carrying `writeKey` (SPEC §3).
 */
export const ANALYTICS_JS_PATHS = { t: "track", p: "page", s: "screen", i: "identify", g: "group", a: "alias", b: "batch" } as const;

export const analyticsJsCall = (letter: keyof typeof ANALYTICS_JS_PATHS) => {
  const type = ANALYTICS_JS_PATHS[letter];
  return createRoute({
    method: "post", path: `/v1/${letter}`, tags: ["ingest"], ...byWriteKey,
    summary: `analytics.js ${type === "batch" ? "batch (deliveryStrategy: batching)" : `${type} call`}: the same as /v1/${type}`,
    request: { body: segmentBody(type === "batch" ? "SegmentBatch" : "SegmentEvent") },
    responses: segmentResponses,
  });
};

export const trackerScript = createRoute({
  method: "get", path: "/s.js", tags: ["ingest"], summary: "The tracker snippet (cached, with an ETag)", ...open,
  responses: {
    200: { description: "JavaScript", content: { "application/javascript": { schema: z.string() } } },
    304: { description: "Not modified (If-None-Match)" },
  },
});

export const trackerEvents = createRoute({
  method: "post", path: "/e", tags: ["ingest"], summary: "The tracker's endpoint (text/plain JSON, no preflight); sets the first-party visitor cookie fh_id", ...byWriteKey,
  request: { body: { required: true, content: { "text/plain": { schema: ref("TrackerPayload") } } } },
  responses: {
    202: json(
      z.object({
        success: z.boolean(),
        accepted: z.number().int(),
        rejected: z.number().int().openapi({ description: "how many were refused (kept in GET /v1/rejects)" }),
        a: z.string().openapi({ description: "the visitor id the events were recorded under (the first-party cookie's, when it has one)" }),
      }),
      "Accepted: durable; Set-Cookie fh_id when the collector is first-party",
    ),
    ...errors(400, 401, 403, 413, 415),
  },
});

export const ingestRoutes = [segmentBatch, trackerScript, trackerEvents] as const;
