import { describe, expect, it } from "vitest";
import { call } from "./helpers";

// Every read route refuses a wrong query with a 400 naming the parameter, and the words come
// from the route's declared schema: the expected message is built here from the parameter as
// GET /v1/openapi.json describes it (its enum, its minimum), or from the parameters it lists
// when the route does not take that one at all.

type Param = { name: string; in: string; required?: boolean; example?: unknown; schema: { enum?: string[]; minimum?: number; format?: string; example?: unknown } };
type Doc = { paths: Record<string, Record<string, { security: Record<string, string[]>[]; parameters?: Param[] }>> };

const EXAMPLE_PATH_VALUES: Record<string, string> = { domain: "acme.com", key: "events/dt=2026-01-01/part-000000000001-000000000002.parquet", id: "key_x" };

async function readRoutes() {
  const doc = (await (await call("/v1/openapi.json", { token: null })).json()) as Doc;
  return Object.entries(doc.paths).flatMap(([path, ops]) => {
    const get = ops.get;
    if (!get || !get.security.some((s) => "bearer" in s)) return [];
    const query = (get.parameters ?? []).filter((p) => p.in === "query");
    // A required parameter (GET /v1/funnel/plan's revenue) is sent with its documented example,
    // so each case below is judged on the one parameter it is about.
    const required = query.filter((p) => p.required).map((p) => `${p.name}=${encodeURIComponent(String(p.example ?? p.schema.example))}&`).join("");
    const url = `${path.replace(/\{(\w+)\}/g, (_, name: string) => EXAMPLE_PATH_VALUES[name])}?${required}`;
    return [{ path, url, query }];
  });
}

describe("query parameters on every read route", () => {
  it("covers the read routes of SPEC §4", async () => {
    const paths = (await readRoutes()).map((r) => r.path);
    for (const p of ["/v1/accounts", "/v1/accounts/{domain}", "/v1/accounts/{domain}/timeline", "/v1/coverage", "/v1/revenue", "/v1/deals", "/v1/rejects", "/v1/export/events", "/v1/export/files", "/v1/sites", "/v1/keys", "/v1/pipeline", "/v1/funnel", "/v1/funnel/plan", "/v1/customers"]) {
      expect(paths).toContain(p);
    }
  });

  it("answers model=bogus, limit=-1 and a malformed date with a 400 naming the parameter", async () => {
    const routes = await readRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(14);
    for (const { path, url, query } of routes) {
      const takes = query.map((p) => p.name);
      const unknown = (name: string) => `Unknown query parameter \`${name}\`; this route takes ${takes.length ? takes.join(", ") : "none"}.`;
      const byName = (name: string) => query.find((p) => p.name === name)?.schema;

      const model = byName("model");
      const limit = byName("limit");
      const from = byName("from");
      const cases: [string, string][] = [
        ["model=bogus", model ? `\`model\` must be one of ${model.enum!.join(", ")}.` : unknown("model")],
        ["limit=-1", limit ? `\`limit\` must be at least ${limit.minimum}.` : unknown("limit")],
        ["from=2026-13-45", from ? (expect(from.format, path).toBe("date"), "`from` must be an ISO date, e.g. 2026-01-31.") : unknown("from")],
      ];
      for (const [q, message] of cases) {
        const r = await call(`${url}${q}`);
        expect(r.status, `${path}?${q}`).toBe(400);
        expect(await r.json(), `${path}?${q}`).toEqual({ error: { code: "invalid_query", message } });
      }
    }
  });

  it("checks every enum and range a route declares", async () => {
    for (const { path, url, query } of await readRoutes()) {
      for (const p of query) {
        if (p.schema.enum) {
          const r = await call(`${url}${p.name}=not-a-${p.name}`);
          expect(r.status, `${path} ${p.name}`).toBe(400);
          expect(((await r.json()) as { error: { message: string } }).error.message, path).toMatch(new RegExp(`^\`${p.name}\` must be`));
        }
        if (p.schema.minimum !== undefined) {
          const r = await call(`${url}${p.name}=${p.schema.minimum - 1}`);
          expect(r.status, `${path} ${p.name}`).toBe(400);
          expect(((await r.json()) as { error: { message: string } }).error.message, path).toBe(`\`${p.name}\` must be at least ${p.schema.minimum}.`);
        }
      }
    }
  });
});
