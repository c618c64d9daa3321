import { createRoute, z } from "@hono/zod-openapi";
import { CONTENT_SORTS } from "../../marketing/content";
import { MODELS } from "../../revenue/types";
import { RowError } from "./accounts";
import { currencyQuery, DayRange, errors, intQuery, json, listOf, secured, segmentName, windowQuery } from "./define";

// Spend and return, campaigns, content and deal journeys (SPEC §10): the spend import, the
// return columns other reports add, GET /v1/campaigns, /v1/content and /v1/deals/:id/journey.

/** A row as PUT /v1/spend takes it (JSON); each row is judged on its own, with a reason. */
export const SpendImportRow = z
  .object({
    date: z.string().openapi({ description: "the day, YYYY-MM-DD", example: "2026-09-01" }),
    channel: z.string().optional().openapi({ description: "one of the collector's channels; left out, it is classified from source and medium as a visit would be", example: "Paid Search" }),
    source: z.string().optional().openapi({ description: "the utm_source the ads' links carry", example: "google" }),
    medium: z.string().optional().openapi({ description: "the utm_medium", example: "cpc" }),
    campaign: z.string().optional().openapi({ description: "the utm_campaign", example: "brand" }),
    amount: z.union([z.number(), z.string()]).openapi({ description: "a plain number: no currency sign, no thousands separator", example: 1250.5 }),
    currency: z.string().openapi({ description: "ISO 4217", example: "USD" }),
    clicks: z.union([z.number().int(), z.string()]).optional(),
    impressions: z.union([z.number().int(), z.string()]).optional(),
  })
  .openapi("SpendImportRow");

const CSV_COLUMNS = "date,channel,source,medium,campaign,amount,currency,clicks,impressions";

export const importSpend = createRoute({
  method: "put", path: "/v1/spend", tags: ["revenue"], summary: "Upsert ad spend by (date, channel, source, medium, campaign)", ...secured("import"),
  request: {
    body: {
      required: true,
      description: "At most 2 MB and 10,000 rows. Invalid rows are refused one by one (listed in `errors`), the others imported.",
      content: {
        "application/json": { schema: listOf("SpendImportRow", 10_000) },
        "text/csv": { schema: { type: "string", description: `a header row, then one day of one campaign a line: ${CSV_COLUMNS}`, example: `${CSV_COLUMNS}\n2026-09-01,Paid Search,google,cpc,brand,1250.50,USD,830,21000\n` } },
      },
    },
  },
  responses: {
    200: json(z.object({ created: z.number().int(), updated: z.number().int(), invalid: z.number().int(), errors: z.array(RowError) }), "Counts, and the refused rows with reasons"),
    ...errors(400, 401, 403, 413),
  },
});

const money = (description: string) => z.number().nullable().openapi({ description });

/** The columns a report row gains when its key has spend (collector/revenue/returns.ts spendReturns). */
export const returnColumns = {
  spend: z.number().optional().openapi({ description: "spend in the report's currency over the window (only rows whose key has spend)" }),
  clicks: z.number().optional(),
  roas: money("revenue ÷ spend (0 for spend without revenue; null when the spend is 0)").optional(),
  cost_per_visitor: money("spend ÷ visitors").optional(),
  revenue_per_click: money("revenue ÷ clicks").optional(),
};

/** What the revenue report's total row adds: the journeys of the window's won deals. */
export const journeyMedianColumns = {
  median_days_to_close: z.number().nullable().openapi({ description: "median days from a won deal's first touch to its close (deals with a touch in the lookback)" }),
  median_touches: z.number().nullable().openapi({ description: "median sessions before the close" }),
};

const currency = currencyQuery("needed when the window's deals or spend use several");
const OtherCurrencies = z
  .object({ revenue: z.record(z.string(), z.number()), pipeline: z.record(z.string(), z.number()) })
  .openapi({ description: "won revenue and pipeline (and spend) in other currencies than `currency`, per currency: not converted, not in the rows" });
const modelQuery = z.enum(MODELS).default("first_touch").openapi({ description: "attribution model for pipeline and revenue (SPEC §6)" });

export const CampaignRow = z
  .object({
    key: z.string().openapi({ description: "the UTM campaign" }),
    source: z.string().nullable().openapi({ description: "the campaign's main source: of most of its sessions, else of most of its spend" }),
    medium: z.string().nullable(),
    spend: money("null when no spend was imported for the campaign"),
    clicks: z.number().nullable(),
    visitors: z.number().int().openapi({ description: "unique human visitors with a session from the campaign in the window" }),
    sessions: z.number().int(),
    engaged_accounts: z.number().int().openapi({ description: "accounts (of `segment`, if given) with a session from the campaign in the window" }),
    new_engaged_accounts: z.number().int().openapi({ description: "of those, accounts without a session on any of the 90 days before the day of their first session from the campaign" }),
    cost_per_engaged_account: money("spend ÷ engaged_accounts"),
    opportunities: z.number().openapi({ description: "deals created in the window credited to the campaign (fractions under multi-touch models)" }),
    pipeline: z.number().openapi({ description: "their amounts, as credited" }),
    revenue: z.number().openapi({ description: "won deals closed in the window, as credited" }),
    roas: money("revenue ÷ spend: 0 for a campaign with spend and no revenue, null without spend"),
    cost_per_visitor: money("spend ÷ visitors"),
    revenue_per_click: money("revenue ÷ clicks"),
    cost_per_opportunity: money("spend ÷ opportunities"),
  })
  .openapi("CampaignRow");

export const campaigns = createRoute({
  method: "get", path: "/v1/campaigns", tags: ["revenue"], summary: "Per UTM campaign: spend, visitors, engaged accounts, pipeline, revenue and ROAS", ...secured("read"),
  request: {
    query: z.strictObject({
      ...windowQuery,
      segment: segmentName.optional().openapi({ description: "count engaged accounts of this segment only (e.g. target); default every account" }),
      model: modelQuery,
      currency,
    }),
  },
  responses: {
    200: json(
      z.object({
        window: DayRange,
        model: z.enum(MODELS),
        segment: z.string().nullable(),
        currency: z.string().nullable(),
        lookback_days: z.number(),
        rows: z.array(CampaignRow),
        totals: z.object({ spend: z.number(), pipeline: z.number(), revenue: z.number(), roas: z.number().nullable() }).openapi({ description: "the rows summed (spend: every imported row with a campaign)" }),
        other_currencies: OtherCurrencies.extend({ spend: z.record(z.string(), z.number()) }),
      }),
      "The campaigns, revenue then spend descending",
    ),
    ...errors(400, 401, 403),
  },
});

export const ContentRow = z
  .object({
    key: z.string().openapi({ description: "the page path" }),
    visitors: z.number().int().openapi({ description: "unique human visitors who viewed the page in the window" }),
    views: z.number().int(),
    influenced_deals: z.number().int().openapi({ description: "won deals closed in the window whose account viewed the page in the lookback before the close" }),
    influenced_revenue: z.number().openapi({ description: "their amounts, in full" }),
    attributed_revenue: z.number().openapi({ description: "the model's credit to sessions that viewed the page, shared equally over their pages" }),
    influenced_pipeline: z.number().openapi({ description: "amounts of deals created in the window whose account viewed the page in the lookback before the deal was created" }),
    deals: z.array(z.string()).openapi({ description: "ids of up to 5 of the influenced won deals, largest first (for their journeys)" }),
  })
  .openapi("ContentRow");

export const content = createRoute({
  method: "get", path: "/v1/content", tags: ["revenue"], summary: "Per page: visitors, views, the deals and revenue it influenced, attributed revenue, influenced pipeline", ...secured("read"),
  request: {
    query: z.strictObject({
      ...windowQuery,
      model: modelQuery,
      sort: z.enum(CONTENT_SORTS).default("influenced_revenue").openapi({ description: "ranking, descending (ties by path)" }),
      limit: intQuery(1, 500, 50, "pages per page"),
      cursor: z.string().max(500).optional().openapi({ description: "next_cursor of the previous page" }),
      currency,
    }),
  },
  responses: {
    200: json(
      z.object({
        window: DayRange,
        model: z.enum(MODELS),
        sort: z.enum(CONTENT_SORTS),
        currency: z.string().nullable(),
        lookback_days: z.number(),
        rows: z.array(ContentRow),
        next_cursor: z.string().nullable(),
        other_currencies: OtherCurrencies,
      }),
      "A page of the ranking",
    ),
    ...errors(400, 401, 403),
  },
});

const JourneyEvent = z
  .object({
    at: z.string(),
    kind: z.enum(["page_view", "form_start", "form_submit", "form_abandon"]),
    path: z.string().nullable(),
    form: z.string().nullable().openapi({ description: "forms: the form's id, name or action" }),
    anonymous_id: z.string(),
    person_id: z.string().nullable().openapi({ description: "the person (email hash) of the visitor, when known" }),
    session_id: z.number().int().nullable(),
  })
  .openapi("JourneyEvent");

const JourneyTouch = z
  .object({
    at: z.string(), session_id: z.number().int(), anonymous_id: z.string(), person_id: z.string().nullable(), channel: z.string(),
    source: z.string().nullable(), medium: z.string().nullable(), campaign: z.string().nullable(), landing_page: z.string().nullable(), pageviews: z.number().int(),
  })
  .openapi("JourneyTouch");

export const dealJourney = createRoute({
  method: "get", path: "/v1/deals/{id}/journey", tags: ["revenue"], summary: "A deal's account journey: first touch, days to close, touches, people, channels, every page view and form", ...secured("read"),
  request: {
    params: z.object({ id: z.string().min(1).max(200).openapi({ description: "the deal's id as imported", example: "OPP-1" }) }),
    query: z.strictObject({}),
  },
  responses: {
    200: json(
      z.object({
        deal: z.object({
          id: z.string(), amount: z.number(), currency: z.string(), stage: z.string().nullable(), created_at: z.string().nullable(), closed_at: z.string().nullable(), won: z.boolean(),
          account: z.object({ domain: z.string(), name: z.string().nullable(), segment: z.string().nullable() }).nullable(),
        }),
        lookback_days: z.number(),
        first_touch_at: z.string().nullable(),
        days_to_close: z.number().nullable().openapi({ description: "from first_touch_at to closed_at; null for an open deal" }),
        touches: z.number().int().openapi({ description: "sessions of the account's visitors in the lookback before the close (before now for an open deal)" }),
        people: z.number().int().openapi({ description: "known people (identified by email) among them" }),
        visitors: z.number().int(),
        channels: z.array(z.string()).openapi({ description: "in the order the journey first used them" }),
        touchpoints: z.array(JourneyTouch),
        events: z.array(JourneyEvent).openapi({ description: "every page view (session marks) and form (timeline moments) of the touches, oldest first" }),
        truncated: z.boolean().openapi({ description: "the account has more visitors than a journey reads (2,000)" }),
      }),
      "The journey",
    ),
    ...errors(400, 401, 403, 404),
  },
});

export const marketingRoutes = [importSpend, campaigns, content, dealJourney] as const;
