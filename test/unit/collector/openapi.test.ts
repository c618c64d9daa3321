import SwaggerParser from "@apidevtools/swagger-parser";
import { beforeAll, describe, expect, it } from "vitest";

// GET /v1/openapi.json as the Worker generates it from the route declarations, checked by a
// real OpenAPI validator and read the way a client generator reads it.

type Schema = { type?: string | string[]; enum?: string[]; minimum?: number; maximum?: number; default?: unknown; $ref?: string; format?: string };
type Operation = {
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

// The real app, run in Node (swagger-parser does not load in workerd). Imported by a path held in
// a variable so this Node-side project does not type-check the Worker (tsconfig.json does).
const APP_MODULE = "../../../collector/http/app";
type App = { request(url: string): Promise<Response>; routes: { method: string; path: string }[] };
const { createApp } = (await import(/* @vite-ignore */ APP_MODULE)) as { createApp: () => App };
const app = createApp();
let doc: Doc;
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
const param = (path: string, method: string, name: string) => doc.paths[path][method].parameters?.find((p) => p.name === name)?.schema;

beforeAll(async () => {
  const r = await app.request("https://collector.test/v1/openapi.json");
  expect(r.status).toBe(200);
  doc = (await r.json()) as Doc;
});

describe("GET /v1/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("describes every route the Worker answers", () => {
    const served = app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
    const documented = operations().map(({ path, method }) => `${method} ${path}`);
    expect(new Set(served)).toEqual(new Set(documented));
    expect(documented.length).toBeGreaterThanOrEqual(39);
  });

  it("gives every operation a response schema, and every error the one error shape", () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const success = Object.keys(op.responses).filter((s) => s.startsWith("2"));
      expect(success.length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses)) {
        if (status === "304") continue; // Not Modified has no body
        const media = Object.values(response.content ?? {});
        expect(media.length, `${where} ${status}`).toBeGreaterThan(0);
        for (const m of media) expect(m.schema, `${where} ${status}`).toBeTruthy();
        if (Number(status) >= 400) {
          // The error shape itself, or the error shape with more (a batch's refused events).
          const schema = response.content?.["application/json"]?.schema as Schema & { allOf?: Schema[] };
          expect(schema?.$ref ?? schema?.allOf?.[0]?.$ref, `${where} ${status}`).toBe("#/components/schemas/Error");
        }
      }
      if (op.requestBody) for (const m of Object.values(op.requestBody.content)) expect(m.schema, `${where} body`).toBeTruthy();
    }
  });

  it("says which scope each management route needs, and answers 401/403 for it", () => {
    const scopeOf = (path: string, method: string) => doc.paths[path][method].security;
    expect(scopeOf("/v1/export/events", "get")).toEqual([{ bearer: ["export"] }]);
    expect(scopeOf("/v1/sites", "post")).toEqual([{ bearer: ["admin"] }]);
    expect(scopeOf("/v1/accounts", "put")).toEqual([{ bearer: ["import"] }]);
    expect(scopeOf("/v1/revenue", "get")).toEqual([{ bearer: ["read"] }]);
    for (const [path, method] of [["/v1/alerts", "post"], ["/v1/alerts", "get"], ["/v1/alerts/{id}", "delete"], ["/v1/alerts/{id}/deliveries", "get"], ["/v1/alerts/{id}/test", "post"]]) {
      expect(scopeOf(path, method), `${method} ${path}`).toEqual([{ bearer: ["admin"] }]);
    }
    expect(scopeOf("/v1/batch", "post")).toEqual([{ writeKey: [] }]);
    expect(scopeOf("/v1/openapi.json", "get")).toEqual([]);
    for (const { path, method, op } of operations()) {
      const bearer = op.security.find((s) => "bearer" in s);
      if (!bearer) continue;
      expect(["read", "import", "export", "admin"], `${method} ${path}`).toContain(bearer.bearer[0]);
      expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403"]));
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearer", "writeKey"]);
  });

  it("types the parameters: enums, ranges, dates", () => {
    // SPEC §4's lists, written out here.
    expect(param("/v1/revenue", "get", "model")?.enum).toEqual(["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov"]);
    expect(param("/v1/revenue", "get", "by")?.enum).toEqual(["channel", "source", "medium", "campaign", "landing_page", "page", "account_segment"]);
    expect(param("/v1/revenue", "get", "from")).toMatchObject({ type: "string", format: "date" });
    expect(param("/v1/accounts", "get", "limit")).toMatchObject({ type: "integer", minimum: 1, maximum: 500, default: 50 });
    expect(param("/v1/accounts", "get", "sort")?.enum).toEqual(["score", "sessions", "pageviews", "form_submits", "engaged_seconds"]);
    expect(param("/v1/accounts", "get", "window")?.enum).toEqual(["7d", "30d", "90d"]);
    expect(param("/v1/coverage", "get", "period")?.enum).toEqual(["week", "month", "quarter"]);
    expect(param("/v1/export/events", "get", "limit")).toMatchObject({ type: "integer", minimum: 1, maximum: 10000 });
    expect(doc.paths["/v1/accounts/{domain}"].get.parameters?.find((p) => p.in === "path")).toMatchObject({ name: "domain", required: true });
  });

  it("describes request bodies: JSON, CSV imports as text, ingest by reference", () => {
    const put = doc.paths["/v1/accounts"].put.requestBody!.content;
    expect(Object.keys(put).sort()).toEqual(["application/json", "text/csv"]);
    expect(put["text/csv"].schema?.type).toBe("string");
    expect(put["application/json"].schema).toMatchObject({ type: "array", maxItems: 10000, items: { $ref: "#/components/schemas/AccountImportRow" } });
    expect(doc.paths["/v1/deals"].put.requestBody!.content["text/csv"].schema?.type).toBe("string");
    expect(doc.paths["/v1/sites"].post.requestBody!.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["name", "domains"],
      properties: { domains: { type: "array", minItems: 1, maxItems: 50 } },
    });
    expect(doc.paths["/v1/batch"].post.requestBody!.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/SegmentBatch" });
    expect(doc.paths["/e"].post.requestBody!.content["text/plain"].schema).toEqual({ $ref: "#/components/schemas/TrackerPayload" });
    expect(doc.paths["/v1/alerts"].post.requestBody!.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["name", "when", "url"],
      properties: { when: { $ref: "#/components/schemas/AlertWhen" }, format: { enum: ["json", "slack"], default: "json" } },
    });
    expect(doc.components.schemas.AlertWhen).toMatchObject({ required: ["kind"], properties: { kind: { enum: ["page_view", "form_submit", "surging", "score_above"] } } });
    expect(doc.paths["/v1/alerts/{id}/deliveries"].get.responses["200"].content!["application/json"].schema).toMatchObject({ properties: { deliveries: { items: { $ref: "#/components/schemas/AlertDelivery" } } } });
    for (const name of ["SegmentEvent", "SegmentBatch", "TrackerPayload", "AccountImportRow", "DealImportRow", "Error"]) expect(doc.components.schemas, name).toHaveProperty(name);
  });
});
