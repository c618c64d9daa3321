// The baseline: Hono with hand-written checks, as the collector was before one schema per route.
import { Hono } from "hono";
import { BY, MODEL, WINDOW, answer } from "./shared";

const bad = (message: string) => Response.json({ error: { code: "invalid_query", message } }, { status: 400 });
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

export const app = new Hono();
app.get("/v1/revenue", (c) => {
  const q = c.req.query();
  const by = q.by ?? "channel";
  if (!(BY as readonly string[]).includes(by)) return bad(`\`by\` must be one of ${BY.join(", ")}.`);
  const model = q.model ?? "linear";
  if (!(MODEL as readonly string[]).includes(model)) return bad(`\`model\` must be one of ${MODEL.join(", ")}.`);
  if (q.window !== undefined && !(WINDOW as readonly string[]).includes(q.window)) return bad(`\`window\` must be one of ${WINDOW.join(", ")}.`);
  for (const k of ["from", "to"] as const) if (q[k] !== undefined && !isDay(q[k])) return bad(`\`${k}\` must be an ISO date.`);
  if (q.currency !== undefined && !/^[A-Za-z]{3}$/.test(q.currency)) return bad("`currency` must be a three-letter code.");
  const limit = q.limit === undefined ? 50 : /^\d+$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= 500)) return bad("`limit` must be a whole number from 1 to 500.");
  return c.json(answer(by, model));
});
app.post("/v1/sites", async (c) => {
  const body = (await c.req.json()) as { name?: unknown; domains?: unknown };
  if (typeof body?.name !== "string" || !body.name.trim() || body.name.length > 200) return bad("`name` must be 1 to 200 characters.");
  if (!Array.isArray(body.domains) || body.domains.length < 1 || body.domains.length > 50 || !body.domains.every((d) => typeof d === "string" && d.length <= 253)) {
    return bad("`domains` must list 1 to 50 domains.");
  }
  return c.json({ id: "site_1", name: body.name, domains: body.domains, write_key: "wk_1" }, 201);
});
