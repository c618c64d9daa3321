import { createRoute, z } from "@hono/zod-openapi";
import { json, open } from "./define";

// The document itself, the front door, and the dashboard's page and assets.

export const openApiDocument = createRoute({
  method: "get", path: "/v1/openapi.json", tags: ["meta"], summary: "This document", ...open,
  responses: { 200: json(z.record(z.string(), z.unknown()).openapi({ description: "OpenAPI 3.1" }), "The API described") },
});

export const health = createRoute({
  method: "get", path: "/", tags: ["meta"], summary: "Health and pointers", ...open,
  responses: {
    200: json(z.object({ name: z.string(), ok: z.boolean(), docs: z.string(), snippet: z.string(), dashboard: z.string() }), "The collector is up; where to go next"),
  },
});

const asset = <P extends string>(path: P, summary: string, type: string) =>
  createRoute({
    method: "get", path, tags: ["meta"], summary, ...open,
    responses: { 200: { description: summary, content: { [type]: { schema: z.string() } } }, 304: { description: "Not modified (If-None-Match)" } },
  });

export const dashboardPage = asset("/dashboard", "The dashboard (sign in with an API key)", "text/html");
export const dashboardScript = asset("/dashboard/app.js", "The dashboard's script", "application/javascript");
export const dashboardStyles = asset("/dashboard/app.css", "The dashboard's stylesheet", "text/css");

export const metaRoutes = [openApiDocument, health, dashboardPage, dashboardScript, dashboardStyles] as const;
