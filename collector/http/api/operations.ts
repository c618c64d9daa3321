import { createRoute, z } from "@hono/zod-openapi";
import { errors, json, secured } from "./define";

// Operations (SPEC §12): how D1 is doing, and how long data is kept. Declared ahead of the
// handlers in collector/http/operations.ts (the storage rewrite on main), which implement them
// with `implement(app, api.status, …)` and read `c.req.valid("json")` for the retention body.

/** Bounds per setting: the snippet re-sends for up to 7 days, so dedupe keys live at least that long. */
const days = (min: number, max: number, why: string) => z.number().int().min(min).max(max).openapi({ description: `whole days, ${why}` });

export const Retention = z
  .object({
    dedupe_days: days(7, 400, "at least 7 (the snippet re-sends for up to 7 days)"),
    raw_days: days(1, 3650, "1 to 3650: raw events kept in R2, by event time"),
    rollup_days: days(1, 3650, "1 to 3650: day rollups and sessions kept in D1"),
  })
  .openapi("Retention");

const Run = z.record(z.string(), z.unknown()).nullable();

export const status = createRoute({
  method: "get", path: "/v1/status", tags: ["management"], summary: "D1 size, growth and days to the 10 GB cap; last 24 h; dead letters; last export and retention runs", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: {
    200: json(
      z.object({
        d1: z.object({ bytes: z.number(), cap_bytes: z.number(), used: z.number(), growth_bytes_per_day: z.number().nullable(), days_until_cap: z.number().nullable() }),
        last_24h: z.object({ events: z.number(), rejects: z.number() }),
        dead_letters: z.object({ pending: z.number(), replayed: z.number() }),
        retention: Retention,
        last_export: Run,
        last_retention: Run,
        upgrade: z.object({ pending: z.boolean() }),
      }),
      "How the deployment is doing",
    ),
    ...errors(400, 401, 403),
  },
});

export const getRetention = createRoute({
  method: "get", path: "/v1/settings/retention", tags: ["management"], summary: "How long dedupe keys, raw events and rollups are kept (days)", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(Retention, "The retention in effect"), ...errors(400, 401, 403) },
});

export const putRetention = createRoute({
  method: "put", path: "/v1/settings/retention", tags: ["management"], summary: "Change retention; the hourly job applies it", ...secured("admin"),
  request: { body: { required: true, content: { "application/json": { schema: Retention.partial().strict() } } } },
  responses: { 200: json(Retention, "The retention now in effect"), ...errors(400, 401, 403, 413, 415) },
});

export const operationsRoutes = [status, getRetention, putRetention] as const;
