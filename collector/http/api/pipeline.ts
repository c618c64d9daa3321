import { createRoute, z } from "@hono/zod-openapi";
import { returnColumns } from "./marketing";
import { attributionHead, attributionQuery } from "./revenue";
import { CUSTOMER_PERIODS } from "../../revenue/customers";
import { FUNNEL_BYS, FUNNEL_STAGES } from "../../revenue/funnel";
import { PLAN_PERIODS } from "../../revenue/plan";
import { currencyQuery, DayRange, errors, json, secured, windowQuery } from "./define";

// Revenue analytics (SPEC §10): pipeline per group, the funnel, the backward planner, customers.

/**
 * A number in a query string, above 0. Read as text first so that a missing one "is required"
 * and "abc" "must be a number" (coercion would turn both into NaN); the generator is told the type.
 */
const positiveNumber = (description: string, example: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?(e\d+)?$/i, { error: "must be a number, e.g. 10000000 (no currency sign or separators)" })
    .transform(Number)
    .refine((n) => n > 0, { error: "must be above 0" })
    .openapi({ type: "number", exclusiveMinimum: 0, description, example });

/**
 * One group's pipeline. Sources of extra columns (collector/revenue/pipeline-report.ts
 * `PipelineColumns`) add their fields here, as optional: `PipelineRow.extend({ spend: … })`.
 */
export const PipelineRow = z
  .object({
    key: z.string().openapi({ description: "the group; the last row is the total (key `total`)" }),
    deals: z.number().openapi({ description: "deals created in the window credited to the group (fractions under multi-touch models)" }),
    pipeline: z.number().openapi({ description: "their amount credited to the group" }),
    won_deals: z.number().openapi({ description: "the same for those of them won by now" }),
    won_revenue: z.number(),
  })
  .openapi("PipelineRow");

const PipelineFigures = PipelineRow.omit({ key: true });

/** A row as answered: the figures, and the return columns when its key has spend (SPEC §10). */
const PipelineAnswerRow = PipelineRow.extend({
  ...returnColumns,
  cost_per_opportunity: z.number().nullable().optional().openapi({ description: "spend ÷ deals created credited to the row" }),
}).openapi("PipelineAnswerRow");

export const pipeline = createRoute({
  method: "get", path: "/v1/pipeline", tags: ["revenue"], summary: "Pipeline created in the window, attributed to the touchpoints before each deal's creation, and its won part", ...secured("read"),
  request: {
    query: attributionQuery("first_touch", "needed when the window's deals use several"),
  },
  responses: {
    200: json(
      z.object({
        ...attributionHead,
        rows: z.array(PipelineAnswerRow),
        total: PipelineAnswerRow,
        unattributed: PipelineFigures.openapi({ description: "deals whose account had no touchpoint in the lookback before creation (part of the total)" }),
        other_currencies: z.record(z.string(), z.number()).openapi({ description: "pipeline created in other currencies, not converted and not in the rows" }),
        deals: z.number().int().openapi({ description: "deals created in the window in the report's currency" }),
        removal_effects: z.record(z.string(), z.number()).optional().openapi({ description: "markov only: each channel's share of credit" }),
      }),
      "The groups, pipeline descending, then the total row",
    ),
    ...errors(400, 401, 403),
  },
});

export const FunnelStage = z
  .object({
    name: z.enum(FUNNEL_STAGES),
    count: z.number().int(),
    rate: z.number().nullable().openapi({ description: "count ÷ the stage above's count; null for visitors or when the stage above is 0" }),
    median_days: z.number().nullable().openapi({ description: "median days from the stage above (per person for leads, per account for opportunities and customers)" }),
  })
  .openapi("FunnelStage");

export const funnel = createRoute({
  method: "get", path: "/v1/funnel", tags: ["revenue"], summary: "Visitors → leads → opportunities → customers in the window: counts, rates, median days", ...secured("read"),
  request: {
    query: z.strictObject({
      ...windowQuery,
      by: z.enum(FUNNEL_BYS).optional().openapi({ description: "also split the funnel by this field of each unit's first touch" }),
    }),
  },
  responses: {
    200: json(
      z.object({
        from: z.string(),
        to: z.string(),
        stages: z.array(FunnelStage),
        by: z.enum(FUNNEL_BYS).optional(),
        groups: z.array(z.object({ key: z.string(), stages: z.array(FunnelStage) })).optional().openapi({ description: "with `by`: the funnel per first-touch group, largest first" }),
      }),
      "The stages, top to bottom",
    ),
    ...errors(400, 401, 403),
  },
});

export const PlanStage = z
  .object({
    name: z.string(),
    rate: z.number().nullable().openapi({ description: "the share of the stage above that becomes this one; null for the top stage" }),
    per_period: z.number(),
    per_month: z.number(),
  })
  .openapi("PlanStage");

export const funnelPlan = createRoute({
  method: "get", path: "/v1/funnel/plan", tags: ["revenue"], summary: "Work the funnel backwards from a revenue goal: what each stage needs per period and per month", ...secured("read"),
  request: {
    query: z.strictObject({
      revenue: positiveNumber("the revenue goal per `per`", 10_000_000),
      per: z.enum(PLAN_PERIODS).default("year"),
      deal_size: positiveNumber("the average won deal", 1_100_000),
      stages: z.string().max(500).optional().openapi({ description: "stage names top to bottom, comma-separated (default visitors,leads,opportunities,customers)", example: "visits,leads,mqls,sqls,opportunities,customers" }),
      rates: z.string().max(500).optional().openapi({ description: "each stage's share of the one above, comma-separated, as 0.2 or 20% (default: measured by /v1/funnel over the last 365 days)", example: "0.015,0.2,0.2,0.4,0.5" }),
    }),
  },
  responses: {
    200: json(
      z.object({
        revenue: z.number(),
        deal_size: z.number(),
        per: z.enum(PLAN_PERIODS),
        rates_from: z.enum(["given", "measured"]),
        measured: DayRange.optional().openapi({ description: "the days the rates were measured over" }),
        stages: z.array(PlanStage),
      }),
      "Each stage, top first",
    ),
    ...errors(400, 401, 403),
  },
});

const CustomersPeriod = DayRange.extend({
  customers: z.number().int().openapi({ description: "accounts with a won deal closed by the period's end" }),
  new_customers: z.number().int().openapi({ description: "accounts whose first won deal closed in the period" }),
  won_revenue: z.number(),
  new_business_revenue: z.number(),
  expansion_revenue: z.number(),
  revenue_per_customer: z.number().nullable().openapi({ description: "won revenue ÷ distinct accounts that won in the period; null when none did" }),
  other_currencies: z.record(z.string(), z.number()).openapi({ description: "won revenue in other currencies, not in the figures" }),
}).openapi("CustomersPeriod");

export const customers = createRoute({
  method: "get", path: "/v1/customers", tags: ["revenue"], summary: "Customers, new customers and won revenue (new business / expansion) this period and the one before", ...secured("read"),
  request: {
    query: z.strictObject({
      period: z.enum(CUSTOMER_PERIODS).default("quarter"),
      currency: currencyQuery("needed when the two periods' won deals use several"),
    }),
  },
  responses: {
    200: json(z.object({ period: z.enum(CUSTOMER_PERIODS), currency: z.string().nullable(), current: CustomersPeriod, previous: CustomersPeriod }), "Both periods"),
    ...errors(400, 401, 403),
  },
});

export const pipelineRoutes = [pipeline, funnel, funnelPlan, customers] as const;
