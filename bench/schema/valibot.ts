// valibot with hono-openapi: the same two routes, declared once.
import { Hono } from "hono";
import { describeRoute, openAPIRouteHandler, resolver, validator } from "hono-openapi";
import * as v from "valibot";
import { BY, MODEL, WINDOW, answer } from "./shared";

const Error = v.object({ error: v.object({ code: v.string(), message: v.string() }) });
const day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/), v.check((s) => !Number.isNaN(Date.parse(s))));
const json = (schema: Parameters<typeof resolver>[0], description: string) => ({ description, content: { "application/json": { schema: resolver(schema) } } });
const hook = (target: string) => (result: { success: boolean; error?: readonly { message: string; path?: readonly { key: unknown }[] }[] }, c: { json: (b: unknown, s: 400) => Response }) => {
  if (!result.success) {
    const issue = result.error![0];
    return c.json({ error: { code: `invalid_${target}`, message: `\`${(issue.path ?? []).map((p) => String(p.key)).join(".")}\`: ${issue.message}` } }, 400);
  }
};

const Query = v.object({
  by: v.optional(v.picklist(BY), "channel"),
  model: v.optional(v.picklist(MODEL), "linear"),
  window: v.optional(v.picklist(WINDOW)),
  from: v.optional(day),
  to: v.optional(day),
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{3}$/))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500)), "50"),
});
const Site = v.object({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)), domains: v.pipe(v.array(v.pipe(v.string(), v.maxLength(253))), v.minLength(1), v.maxLength(50)) });

export const app = new Hono();
app.get(
  "/v1/revenue",
  describeRoute({ responses: { 200: json(v.object({ by: v.string(), model: v.string(), rows: v.array(v.object({ key: v.string(), visitors: v.number(), sessions: v.number(), revenue: v.number(), revenue_per_visitor: v.nullable(v.number()) })) }), "rows"), 400: json(Error, "bad query") } }),
  validator("query", Query, hook("query") as never),
  (c) => {
    const q = c.req.valid("query");
    return c.json(answer(q.by, q.model), 200);
  },
);
app.post(
  "/v1/sites",
  describeRoute({ responses: { 201: json(v.object({ id: v.string(), name: v.string(), domains: v.array(v.string()), write_key: v.string() }), "created"), 400: json(Error, "bad body") } }),
  validator("json", Site, hook("json") as never),
  (c) => {
    const b = c.req.valid("json");
    return c.json({ id: "site_1", name: b.name, domains: b.domains, write_key: "wk_1" }, 201);
  },
);
app.get("/v1/openapi.json", openAPIRouteHandler(app, { documentation: { openapi: "3.1.0", info: { title: "bench", version: "1" } } }));
