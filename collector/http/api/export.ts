import { createRoute, z } from "@hono/zod-openapi";
import { errors, json, secured } from "./define";

// The warehouse files over HTTP (SPEC §7): the manifest, one file at a time (Range too), the
// tables' columns, and a manual run of the scheduled export.

export const ExportFile = z
  .object({
    key: z.string().openapi({ example: "events/dt=2026-03-01/part-000000000001-000000000420.parquet" }),
    dt: z.string(),
    rows: z.number().int(),
    bytes: z.number().int(),
    first_seq: z.number().int(),
    last_seq: z.number().int(),
    url: z.string().openapi({ description: "path on the collector to download it from" }),
  })
  .openapi("ExportFile");

const Ledger = z
  .object({
    cursor: z.number().int().openapi({ description: "every row with seq ≤ cursor is in `files`" }),
    pending: z.object({ after: z.number().int(), through: z.number().int() }).nullable(),
    rows: z.number().int(),
    files: z.array(ExportFile),
  })
  .openapi("ExportLedger");

export const exportFiles = createRoute({
  method: "get", path: "/v1/export/files", tags: ["export"], summary: "The export manifest: Parquet files per stream and date, with rows, bytes and seq ranges", ...secured("export"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ version: z.number().int(), updated_at: z.string(), events: Ledger, rejects: Ledger }), "The manifest"), ...errors(400, 401, 403) },
});

export const exportFile = createRoute({
  method: "get", path: "/v1/export/files/{key}", tags: ["export"], summary: "One export file (events/… or rejects/…), streamed from R2; honours Range", ...secured("export"),
  request: {
    params: z.object({ key: z.string().openapi({ description: "a file's `key` from the manifest (slashes included)", example: "events/dt=2026-03-01/part-000000000001-000000000420.parquet" }) }),
    query: z.strictObject({}),
    headers: z.object({ range: z.string().optional().openapi({ description: "bytes=<first>-<last>, as DuckDB's httpfs sends" }) }),
  },
  responses: {
    200: { description: "The file", content: { "application/vnd.apache.parquet": { schema: z.string().openapi({ format: "binary" }) } } },
    206: { description: "The requested byte range", content: { "application/vnd.apache.parquet": { schema: z.string().openapi({ format: "binary" }) } } },
    ...errors(400, 401, 403, 404, 416),
  },
});

const Column = z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), description: z.string() });

export const exportSchema = createRoute({
  method: "get", path: "/v1/export/schema", tags: ["export"], summary: "The exported tables' columns; ?format=pipelines: the events table as a Cloudflare Pipelines stream schema", ...secured("export"),
  request: { query: z.strictObject({ format: z.enum(["columns", "pipelines"]).default("columns") }) },
  responses: {
    200: json(
      z.union([
        z.object({ events: z.array(Column).readonly(), rejects: z.array(Column).readonly() }).openapi("ExportColumns"),
        z.object({ fields: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean() })) }).openapi("PipelinesSchema"),
      ]),
      "columns: both tables; pipelines: the stream schema",
    ),
    ...errors(400, 401, 403),
  },
});

const StreamReport = z.object({ files_written: z.number().int(), rows_written: z.number().int(), cursor: z.number().int(), caught_up: z.boolean() });

export const runExport = createRoute({
  method: "post", path: "/v1/export/run", tags: ["export"], summary: "Run the scheduled export now (idempotent; safe beside the cron)", ...secured("admin"),
  responses: {
    200: json(z.object({ events: StreamReport, rejects: StreamReport, lost_race: z.boolean().openapi({ description: "another run committed first; this one stopped" }), ms: z.number() }), "What the run wrote"),
    ...errors(401, 403),
  },
});

export const exportRoutes = [exportFiles, exportFile, exportSchema, runExport] as const;
