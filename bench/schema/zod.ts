// zod 4 with @hono/zod-openapi: the same two routes, declared once (validation, document, types).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { BY, MODEL, WINDOW, answer } from "./shared";

const Error = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)));
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

export const app = new OpenAPIHono({
  defaultHook: (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      return c.json({ error: { code: `invalid_${result.target}`, message: `\`${issue.path.join(".")}\`: ${issue.message}` } }, 400);
    }
  },
});
app.openapi(
  createRoute({
    method: "get",
    path: "/v1/revenue",
    request: {
      query: z.object({
        by: z.enum(BY).default("channel"),
        model: z.enum(MODEL).default("linear"),
        window: z.enum(WINDOW).optional(),
        from: day.optional(),
        to: day.optional(),
        currency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
    },
    responses: {
      200: json(z.object({ by: z.string(), model: z.string(), rows: z.array(z.object({ key: z.string(), visitors: z.number(), sessions: z.number(), revenue: z.number(), revenue_per_visitor: z.number().nullable() })) }), "rows"),
      400: json(Error, "bad query"),
    },
  }),
  (c) => {
    const q = c.req.valid("query");
    return c.json(answer(q.by, q.model), 200);
  },
);
app.openapi(
  createRoute({
    method: "post",
    path: "/v1/sites",
    request: { body: { required: true, content: { "application/json": { schema: z.object({ name: z.string().trim().min(1).max(200), domains: z.array(z.string().max(253)).min(1).max(50) }) } } } },
    responses: { 201: json(z.object({ id: z.string(), name: z.string(), domains: z.array(z.string()), write_key: z.string() }), "created"), 400: json(Error, "bad body") },
  }),
  (c) => {
    const b = c.req.valid("json");
    return c.json({ id: "site_1", name: b.name, domains: b.domains, write_key: "wk_1" }, 201);
  },
);
app.doc31("/v1/openapi.json", { openapi: "3.1.0", info: { title: "bench", version: "1" } });
