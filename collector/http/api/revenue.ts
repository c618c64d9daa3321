import { createRoute, z } from "@hono/zod-openapi";
import { DEAL_TYPES } from "../../revenue/deal-type";
import { GROUP_BYS } from "../../revenue/groups";
import { MODELS } from "../../revenue/types";
import { currencyQuery, DayRange, errors, intQuery, json, listOf, secured, windowQuery } from "./define";
import { RowError } from "./accounts";
import { journeyMedianColumns, returnColumns } from "./marketing";

// Revenue (SPEC §4, §6): deals import, the deals list, and revenue attribution per group.

/** A row as PUT /v1/deals takes it (JSON); each row is judged on its own, with a reason. */
export const DealImportRow = z
  .object({
    id: z.string().openapi({ example: "OPP-1" }),
    account: z.string().openapi({ description: "the account's domain or crm_id", example: "acme.com" }),
    amount: z.union([z.number(), z.string()]).openapi({ description: "a plain number: no currency sign, no thousands separator", example: 275000 }),
    currency: z.string().optional().openapi({ description: "ISO 4217", example: "USD" }),
    stage: z.string().optional(),
    created_at: z.string().optional().openapi({ description: "ISO date or date-time" }),
    closed_at: z.string().optional().openapi({ description: "ISO date or date-time; a won deal needs it" }),
    won: z.union([z.boolean(), z.string()]).optional().openapi({ description: "true/false (also yes/no, 1/0, won/lost)" }),
    type: z.enum(DEAL_TYPES).optional().openapi({ description: "left out: the account's first won deal is new_business, later ones expansion" }),
  })
  .openapi("DealImportRow");

const CSV_COLUMNS = "id,account,amount,currency,stage,created_at,closed_at,won,type";

export const importDeals = createRoute({
  method: "put", path: "/v1/deals", tags: ["revenue"], summary: "Upsert deals by id; the account is named by domain or crm_id", ...secured("import"),
  request: {
    body: {
      required: true,
      description: "At most 2 MB and 10,000 rows. An unknown domain creates its account; an unknown crm_id refuses the row. Invalid rows are refused one by one.",
      content: {
        "application/json": { schema: listOf("DealImportRow", 10_000) },
        "text/csv": { schema: { type: "string", description: `a header row, then one deal a line: ${CSV_COLUMNS}`, example: `${CSV_COLUMNS}\nOPP-1,acme.com,275000,USD,closed_won,2026-09-02,2026-09-29,true,new_business\n` } },
      },
    },
  },
  responses: {
    200: json(z.object({ created: z.number().int(), updated: z.number().int(), invalid: z.number().int(), errors: z.array(RowError), accounts_created: z.array(z.string()).openapi({ description: "domains of accounts this import created" }) }), "Counts, and the refused rows with reasons"),
    ...errors(400, 401, 403, 413),
  },
});

export const Deal = z
  .object({
    id: z.string(), account_ref: z.string(), amount: z.number(), currency: z.string(), stage: z.string().nullable(),
    created_at: z.string().nullable(), closed_at: z.string().nullable(), won: z.boolean(),
    type: z.enum(DEAL_TYPES).openapi({ description: "as imported, else from the account's won history (first win new_business, later ones expansion)" }),
  })
  .openapi("Deal");

export const listDeals = createRoute({
  method: "get", path: "/v1/deals", tags: ["revenue"], summary: "Imported deals, most recently closed first", ...secured("read"),
  request: {
    query: z.strictObject({
      account: z.string().min(1).max(253).optional().openapi({ description: "only this account's deals (domain or crm_id)" }),
      limit: intQuery(1, 500, 100, "deals"),
      offset: intQuery(0, 1_000_000, 0, "deals to skip"),
    }),
  },
  responses: { 200: json(z.object({ deals: z.array(Deal) }), "A page of deals"), ...errors(400, 401, 403, 404) },
});

export const RevenueRow = z
  .object({
    key: z.string().openapi({ description: "the group; the last row is the total (key `total`)" }),
    visitors: z.number(),
    sessions: z.number(),
    revenue: z.number(),
    revenue_per_visitor: z.number().nullable().openapi({ description: "null when the group has no visitor in the window" }),
    ...returnColumns,
  })
  .openapi("RevenueRow");

const RevenueTotal = RevenueRow.extend(journeyMedianColumns).openapi("RevenueTotal");

/** The query of an attribution report (revenue, pipeline): group, model, window, currency. */
export const attributionQuery = (model: (typeof MODELS)[number], currencyNeed: string) =>
  z.strictObject({
    by: z.enum(GROUP_BYS).default("channel"),
    model: z.enum(MODELS).default(model),
    ...windowQuery,
    currency: currencyQuery(currencyNeed),
  });

/** What an attribution report answers before its rows. */
export const attributionHead = {
  by: z.enum(GROUP_BYS),
  model: z.enum(MODELS),
  window: DayRange,
  currency: z.string().nullable(),
  lookback_days: z.number(),
};

export const revenue = createRoute({
  method: "get", path: "/v1/revenue", tags: ["revenue"], summary: "Won revenue attributed to touchpoints, and revenue per visitor, per group", ...secured("read"),
  request: {
    query: attributionQuery("linear", "needed when the window's won deals use several"),
  },
  responses: {
    200: json(
      z.object({
        ...attributionHead,
        rows: z.array(RevenueRow.extend({ median_days_to_close: journeyMedianColumns.median_days_to_close.optional(), median_touches: journeyMedianColumns.median_touches.optional() })).openapi({ description: "the groups, then the total row (which alone has the medians)" }),
        total: RevenueTotal,
        unattributed: z.number().openapi({ description: "won revenue of deals whose account had no touchpoint in the lookback (part of the total)" }),
        other_currencies: z.record(z.string(), z.number()),
        other_currency_spend: z.record(z.string(), z.number()).optional().openapi({ description: "spend in other currencies than `currency`, not converted and not in the rows" }),
        deals: z.number().int(),
        removal_effects: z.record(z.string(), z.number()).optional().openapi({ description: "markov only: each channel's share of credit" }),
      }),
      "The groups, revenue descending, then the total row",
    ),
    ...errors(400, 401, 403),
  },
});

export const revenueRoutes = [importDeals, listDeals, revenue] as const;
