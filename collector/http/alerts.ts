import type { Context } from "hono";
import { createRule, listRuleViews, removeRule, ruleDeliveries, sendTest } from "../signals/manage";
import { receiverUrlProblem, whenProblem } from "../signals/rules";
import * as api from "./api/alerts";
import { ApiError, badRequest } from "./errors";
import { implement, type App, type AppEnv } from "./routes";

// Signals (SPEC §11): alert rules, their deliveries and a test send (admin).

/** Alert secrets are sealed with a key derived from HASH_SECRET: without it no rule can sign. */
function hashSecret(c: Context<AppEnv>): string {
  const secret = c.env.HASH_SECRET;
  if (typeof secret === "string" && secret.length > 0) return secret;
  throw new ApiError(503, "hash_secret_missing", "The collector has no HASH_SECRET, which seals alert secrets: set it with `wrangler secret put HASH_SECRET` (npm run dev writes a local one into .dev.vars).");
}

const noRule = (id: string) => new ApiError(404, "not_found", `No alert rule has the id ${JSON.stringify(id.slice(0, 100))}.`);

export function alertRoutes(app: App): void {
  implement(app, api.createAlert, async (c) => {
    const input = c.req.valid("json");
    const problem = whenProblem(input.when) ?? receiverUrlProblem(input.url);
    if (problem) throw badRequest(problem.startsWith("`url`") ? "invalid_url" : "invalid_body", problem);
    const created = await createRule(c.env, input, hashSecret(c), new URL(c.req.url).origin);
    return c.json(created, 201);
  });
  implement(app, api.listAlerts, async (c) => c.json({ alerts: await listRuleViews(c.env) }, 200));
  implement(app, api.deleteAlert, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await removeRule(c.env, id))) throw noRule(id);
    return c.json({ id, deleted: true as const }, 200);
  });
  implement(app, api.alertDeliveries, async (c) => {
    const { id } = c.req.valid("param");
    const deliveries = await ruleDeliveries(c.env, id, c.req.valid("query").limit);
    if (!deliveries) throw noRule(id);
    return c.json({ deliveries }, 200);
  });
  implement(app, api.testAlert, async (c) => {
    const { id } = c.req.valid("param");
    hashSecret(c);
    const delivery = await sendTest(c.env, id, (url, init) => fetch(url, init));
    if (!delivery) throw noRule(id);
    return c.json(delivery, 200);
  });
}
