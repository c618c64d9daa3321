import type { App } from "./routes";
import { DOCUMENTED_ONLY } from "./api";

const cache = new WeakMap<App, Record<string, unknown>>();

/**
 * The OpenAPI 3.1 document, generated from the route declarations (collector/http/api/*) the
 * app implements. Built once per isolate; only the server URL differs per request.
 */
export function openApiDocument(app: App, serverUrl: string): Record<string, unknown> {
  let doc = cache.get(app);
  if (!doc) {
    for (const [name, schema] of Object.entries(DOCUMENTED_ONLY)) app.openAPIRegistry.register(name, schema);
    app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN or an API key (POST /v1/keys); scopes read, import, export, admin" });
    app.openAPIRegistry.registerComponent("securitySchemes", "writeKey", { type: "http", scheme: "basic", description: "The site's write key as the user name (or `writeKey` in the body)" });
    doc = app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Foothold collector API",
        version: "1",
        description: "First-party B2B website tracking: ingest (tracker and Segment-compatible), accounts, revenue, export, privacy. Every error is `{ error: { code, message } }`.",
      },
      tags: [
        { name: "ingest", description: "Events in: the snippet and Segment's HTTP Tracking API (write key)" },
        { name: "management", description: "Sites, API keys, rejects, dead letters, settings" },
        { name: "accounts", description: "Accounts ranked by engagement, one account, coverage" },
        { name: "revenue", description: "Deals and revenue attribution" },
        { name: "export", description: "The warehouse export" },
        { name: "signals", description: "Alert rules and their signed deliveries (webhooks, Slack)" },
        { name: "privacy", description: "Erasure of a person, the suppression of their later events, the erasure log" },
        { name: "meta", description: "This document, health, the dashboard" },
      ],
    }) as unknown as Record<string, unknown>;
    cache.set(app, doc);
  }
  return { ...doc, servers: [{ url: serverUrl }] };
}
