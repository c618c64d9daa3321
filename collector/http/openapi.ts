import type { RouteDoc } from "./routes";

const ERROR_SCHEMA = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" } },
      required: ["code", "message"],
    },
  },
};

/** The OpenAPI 3.1 document, generated from the registered routes. */
export function openApiDocument(routes: readonly RouteDoc[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)(?:\{[^}]*\})?/g, "{$1}");
    const params = [
      ...[...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(r.query ?? {}).map(([name, description]) => ({ name, in: "query", description, schema: { type: "string" } })),
    ];
    const security =
      r.auth === "none" ? [] : r.auth === "write_key" ? [{ writeKey: [] }] : [{ bearer: [r.auth] }];
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.auth !== "none" && r.auth !== "write_key" ? { description: `Requires the \`${r.auth}\` scope.` } : {}),
      security,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              description: r.body.description,
              content: Object.fromEntries(r.body.contentTypes.map((t) => [t, {}])),
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, description]) => [
          status,
          Number(status) >= 400
            ? { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }
            : { description },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Foothold collector API",
      version: "1",
      description: "First-party B2B website tracking: ingest (tracker and Segment-compatible), accounts, revenue, export.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN or an API key" },
        writeKey: { type: "http", scheme: "basic", description: "The site's write key as the user name" },
      },
    },
  };
}
