import { createRoute, z } from "@hono/zod-openapi";
import { errors, intQuery, json, SCOPE_NAMES, secured, seqQuery } from "./define";

// Sites, API keys, refused events, the NDJSON event export and dead letters (SPEC §4).

const name = z.string().trim().min(1).max(200).openapi({ example: "Marketing site" });

export const Site = z
  .object({
    id: z.string(),
    name: z.string(),
    domains: z.array(z.string()).openapi({ description: "as stored and compared with Origin: IDNs in punycode (xn--bcher-kva.example)" }),
    domains_unicode: z.array(z.string()).openapi({ description: "the same, as people read them (bücher.example)" }),
    write_key: z.string().openapi({ description: "public by design: it goes in the snippet" }),
  })
  .openapi("Site");
const Scope = z.enum(SCOPE_NAMES);
export const KeyInfo = z
  .object({ id: z.string(), name: z.string(), scopes: z.array(z.string()), created_at: z.string(), revoked_at: z.string().nullable() })
  .openapi("ApiKey");

export const createSite = createRoute({
  method: "post", path: "/v1/sites", tags: ["management"], summary: "Create a site; answers its write key", ...secured("admin"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            name,
            domains: z.array(z.string().max(253)).min(1).max(50).openapi({ description: "the domains the site's pages are on; subdomains are allowed too", example: ["example.com"] }),
          }),
        },
      },
    },
  },
  responses: { 201: json(Site, "The site, with its write key"), ...errors(400, 401, 403, 413, 415) },
});

export const listSites = createRoute({
  method: "get", path: "/v1/sites", tags: ["management"], summary: "List sites", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ sites: z.array(Site.extend({ created_at: z.string() })) }), "Every site"), ...errors(400, 401, 403) },
});

export const createKey = createRoute({
  method: "post", path: "/v1/keys", tags: ["management"], summary: "Create an API key (shown once)", ...secured("admin"),
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.strictObject({ name, scopes: z.array(Scope).min(1).max(4).openapi({ example: ["read"] }) }) } },
    },
  },
  responses: {
    201: json(z.object({ id: z.string(), name: z.string(), scopes: z.array(Scope), key: z.string().openapi({ description: "the secret, shown this once; stored hashed" }) }), "The key"),
    ...errors(400, 401, 403, 413, 415),
  },
});

export const listKeys = createRoute({
  method: "get", path: "/v1/keys", tags: ["management"], summary: "List API keys (never the secrets)", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ keys: z.array(KeyInfo) }), "Every key, revoked ones too"), ...errors(400, 401, 403) },
});

export const revokeKey = createRoute({
  method: "delete", path: "/v1/keys/{id}", tags: ["management"], summary: "Revoke an API key", ...secured("admin"),
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: { 200: json(z.object({ id: z.string(), revoked: z.literal(true) }), "Revoked"), ...errors(400, 401, 403, 404) },
});

export const Reject = z
  .object({
    seq: z.number().int(),
    reject_id: z.string(),
    site_id: z.string().nullable(),
    received_at: z.string(),
    code: z.string().openapi({ example: "invalid_event_name" }),
    reason: z.string(),
    payload: z.unknown().openapi({ description: "the event as sent (JSON), or its text when it was not JSON" }),
  })
  .openapi("Reject");

export const listRejects = createRoute({
  method: "get", path: "/v1/rejects", tags: ["management"], summary: "Refused events with their reasons, newest first (admin: they hold what was sent)", ...secured("admin"),
  request: {
    query: z.strictObject({
      limit: intQuery(1, 1000, 100, "rows"),
      before: seqQuery("cursor: next_before of the previous page").optional(),
    }),
  },
  responses: { 200: json(z.object({ rejects: z.array(Reject), next_before: z.number().int().nullable() }), "A page of refused events"), ...errors(400, 401, 403) },
});

export const exportEvents = createRoute({
  method: "get", path: "/v1/export/events", tags: ["export"], summary: "Events as NDJSON, oldest first; next cursor in X-Next-Cursor", ...secured("export"),
  request: {
    query: z.strictObject({
      since: seqQuery("cursor from the previous X-Next-Cursor (0: from the start)").default(0),
      limit: intQuery(1, 10_000, 1000, "rows"),
    }),
  },
  responses: {
    200: {
      description: "One event per line (the columns of GET /v1/export/schema)",
      headers: z.object({ "x-next-cursor": z.string().openapi({ description: "pass as `since` for the next page" }) }),
      content: { "application/x-ndjson": { schema: z.string().openapi({ description: "newline-delimited JSON objects" }) } },
    },
    ...errors(400, 401, 403),
  },
});

export const deadLetters = createRoute({
  method: "get", path: "/v1/dead-letters", tags: ["management"], summary: "Counts of parked queue messages", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ pending: z.number().int(), replayed: z.number().int() }), "Counts"), ...errors(400, 401, 403) },
});

export const replayDeadLetters = createRoute({
  method: "post", path: "/v1/dead-letters/replay", tags: ["management"], summary: "Re-queue parked messages (safe: events dedupe on messageId)", ...secured("admin"),
  responses: { 200: json(z.object({ replayed: z.number().int() }), "How many were re-queued"), ...errors(401, 403) },
});

export const managementRoutes = [createSite, listSites, createKey, listKeys, revokeKey, listRejects, exportEvents, deadLetters, replayDeadLetters] as const;
