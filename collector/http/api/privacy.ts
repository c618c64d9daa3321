import { createRoute, z } from "@hono/zod-openapi";
import { errors, intQuery, json, secured } from "./define";

// Erasure (SPEC §13): erase a person by email, user id or anonymous id, follow it, read the log.

const id = (what: string) => z.string().trim().min(1).max(200).openapi({ description: what });

export const EraseBody = z
  .union(
    [
      z.strictObject({ email: z.string().trim().min(3).max(320).openapi({ description: "the person's email (hashed at once; never stored)", example: "jane@acme.com" }) }),
      z.strictObject({ user_id: id("a userId the person's events carried") }),
      z.strictObject({ anonymous_id: id("an anonymous id (a browser) of the person") }),
    ],
    { error: "must be one of {email}, {user_id} or {anonymous_id}, with one string" },
  )
  .openapi("EraseRequest");

export const Erasure = z
  .object({
    id: z.string().openapi({ example: "era_3b8f0c1e-…" }),
    status: z.enum(["running", "done"]).openapi({ description: "done: the person is gone from R2 (raw objects, Parquet files, dead letters), the NDJSON export and D1" }),
    by: z.enum(["email", "user_id", "anonymous_id"]).openapi({ description: "the kind of key asked for; the key itself is not kept" }),
    requested_by: z.string().openapi({ description: "`admin` (the ADMIN_TOKEN) or the API key's id" }),
    requested_at: z.string(),
    finished_at: z.string().nullable(),
    visitors: z.number().int().openapi({ description: "visitors (browsers, backend users) removed from D1" }),
    people: z.number().int(),
    sessions: z.number().int(),
    events: z.number().int().openapi({ description: "events removed from the raw archive" }),
    rejects: z.number().int().openapi({ description: "refused events removed" }),
    files: z.object({
      raw: z.number().int().openapi({ description: "raw NDJSON objects rewritten or deleted" }),
      parquet: z.number().int().openapi({ description: "Parquet files rewritten or deleted" }),
      dead_letters: z.number().int(),
    }),
    parquet_rows: z.number().int(),
    suppressed: z.number().int().openapi({ description: "later events and refusals of the person dropped at the pipeline (each delivery counts)" }),
    progress: z.object({ tasks_done: z.number().int(), tasks: z.number().int() }),
  })
  .openapi("Erasure");

export const erase = createRoute({
  method: "post", path: "/v1/privacy/erase", tags: ["privacy"], summary: "Erase a person everywhere, and drop their later events", ...secured("admin"),
  request: { body: { required: true, content: { "application/json": { schema: EraseBody } } } },
  responses: {
    202: json(z.object({ id: z.string(), status: z.literal("running") }), "Started: follow it at GET /v1/privacy/erasures/{id}"),
    ...errors(400, 401, 403, 413, 415, 503),
  },
});

export const getErasure = createRoute({
  method: "get", path: "/v1/privacy/erasures/{id}", tags: ["privacy"], summary: "One erasure: running or done, and what it removed", ...secured("admin"),
  request: { params: z.object({ id: z.string().max(100) }), query: z.strictObject({}) },
  responses: {
    200: json(Erasure.extend({ parquet_keys: z.array(z.string()).openapi({ description: "Parquet files it rewrote or deleted: a warehouse that loaded them reloads them" }) }), "The erasure"),
    ...errors(400, 401, 403, 404),
  },
});

export const listErasures = createRoute({
  method: "get", path: "/v1/privacy/erasures", tags: ["privacy"], summary: "The erasure log, newest first (no identifiers)", ...secured("admin"),
  request: {
    query: z.strictObject({
      limit: intQuery(1, 500, 50, "rows"),
      before: z.string().max(100).optional().openapi({ description: "cursor: next_before of the previous page" }),
    }),
  },
  responses: { 200: json(z.object({ erasures: z.array(Erasure), next_before: z.string().nullable() }), "A page of the log"), ...errors(400, 401, 403) },
});

export const privacyRoutes = [erase, getErasure, listErasures] as const;
