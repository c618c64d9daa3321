import { parseWindow } from "../accounts/window";
import { MixedCurrenciesError } from "../revenue";
import { customersReport } from "../revenue/customers-report";
import { funnelReport } from "../revenue/funnel-report";
import { parseRates, parseStages } from "../revenue/plan";
import { planReport } from "../revenue/plan-report";
import { pipelineReport } from "../revenue/pipeline-report";
import { pipelineSpendColumns } from "../revenue/pipeline-spend";
import * as api from "./api/pipeline";
import { badRequest } from "./errors";
import { implement, type App } from "./routes";

// Revenue analytics (SPEC §10): pipeline per group, the funnel, the backward planner, customers.

/** Formats are checked by the schema; how window, from and to combine is the window's rule. */
function windowOf(q: { window?: string; from?: string; to?: string }, now: Date) {
  const window = parseWindow(q, now);
  if ("error" in window) throw badRequest("invalid_query", window.error);
  return window;
}

async function oneCurrency<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof MixedCurrenciesError) throw badRequest("mixed_currencies", err.message);
    throw err;
  }
}

export function pipelineRoutes(app: App): void {
  implement(app, api.pipeline, async (c) => {
    const q = c.req.valid("query");
    const now = new Date();
    const window = windowOf(q, now);
    const query = { by: q.by, model: q.model, window, currency: q.currency?.toUpperCase(), now };
    return c.json(await oneCurrency(() => pipelineReport(c.env.DB, query, [pipelineSpendColumns])), 200);
  });

  implement(app, api.funnel, async (c) => {
    const q = c.req.valid("query");
    const now = new Date();
    return c.json(await funnelReport(c.env.DB, { window: windowOf(q, now), by: q.by, now }), 200);
  });

  implement(app, api.funnelPlan, async (c) => {
    const q = c.req.valid("query");
    const stages = q.stages === undefined ? undefined : parseStages(q.stages);
    if (stages && "error" in stages) throw badRequest("invalid_query", stages.error);
    const rates = q.rates === undefined ? undefined : parseRates(q.rates);
    if (rates && "error" in rates) throw badRequest("invalid_query", rates.error);
    const plan = await planReport(c.env.DB, { revenue: q.revenue, deal_size: q.deal_size, per: q.per, stages, rates, now: new Date() });
    if ("error" in plan) throw badRequest("invalid_query", plan.error);
    return c.json(plan, 200);
  });

  implement(app, api.customers, async (c) => {
    const q = c.req.valid("query");
    return c.json(await oneCurrency(() => customersReport(c.env.DB, { period: q.period, currency: q.currency?.toUpperCase(), now: new Date() })), 200);
  });
}
