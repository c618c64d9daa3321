import { createRoute, z } from "@hono/zod-openapi";
import { DayRange, errors, intQuery, isoDate, json, listOf, secured, segmentName, windowQuery } from "./define";

// Accounts (SPEC §4): import, ranking, one account, its timeline, coverage, engagement settings.

/** storage/accounts-read.ts ranks by these; collector/http/accounts.ts checks the two lists agree. */
export const SORT_NAMES = ["score", "sessions", "pageviews", "form_submits", "engaged_seconds"] as const;
export type SortName = (typeof SORT_NAMES)[number];
export const PERIOD_NAMES = ["week", "month", "quarter"] as const;

const domainParam = z.object({ domain: z.string().min(1).max(253).openapi({ description: "any of the account's domains", example: "acme.com" }) });

export const DailyPoint = z
  .object({
    day: z.string(),
    sessions: z.number(),
    pageviews: z.number().openapi({ description: "all page views, high-intent ones included" }),
    high_intent_pageviews: z.number(),
    form_starts: z.number(),
    form_submits: z.number(),
    engaged_seconds: z.number(),
    events: z.number().openapi({ description: "page views, form events, identify and group calls" }),
  })
  .openapi("DailyPoint");

export const AccountSummary = z
  .object({
    domain: z.string(),
    name: z.string().nullable(),
    segment: z.string().nullable(),
    score: z.number(),
    visitors: z.number(),
    people: z.number(),
    sessions: z.number(),
    pageviews: z.number(),
    form_submits: z.number(),
    engaged_seconds: z.number(),
    first_seen: z.string().nullable(),
    last_seen: z.string().nullable(),
    surging: z.boolean(),
    daily: z.array(DailyPoint).optional().openapi({ description: "only with series=daily: the window's days with activity (quiet days left out)" }),
  })
  .openapi("AccountSummary");

/** A row as PUT /v1/accounts takes it (JSON); each row is judged on its own, with a reason. */
export const AccountImportRow = z
  .object({
    domain: z.string().openapi({ example: "acme.com" }),
    name: z.string().optional(),
    crm_id: z.string().optional(),
    segment: z.string().optional().openapi({ example: "target" }),
    domains: z.array(z.string()).optional().openapi({ description: "extra domains" }),
    asns: z.array(z.union([z.number().int(), z.string()])).optional().openapi({ description: "AS numbers whose traffic is this account's" }),
  })
  .openapi("AccountImportRow");

export const RowError = z.object({ row: z.number().int().openapi({ description: "1-based, within the request" }), reason: z.string() }).openapi("RowError");

const CSV_COLUMNS = "domain,name,crm_id,segment,domains,asns";

export const importAccounts = createRoute({
  method: "put", path: "/v1/accounts", tags: ["accounts"], summary: "Upsert accounts (by crm_id or domain); re-resolves past visitors", ...secured("import"),
  request: {
    body: {
      required: true,
      description: "At most 2 MB and 10,000 rows. Invalid rows are refused one by one (listed in `errors`), the others imported.",
      content: {
        // Described, not validated here: each row is judged alone so one bad row refuses only itself.
        "application/json": { schema: listOf("AccountImportRow", 10_000) },
        "text/csv": { schema: { type: "string", description: `a header row, then one account a line: ${CSV_COLUMNS}; extra domains and AS numbers separated by ;`, example: `${CSV_COLUMNS}\nacme.com,Acme,CRM-1,target,acme.io;acme.co.uk,64500\n` } },
      },
    },
  },
  responses: {
    200: json(z.object({ created: z.number().int(), updated: z.number().int(), invalid: z.number().int(), errors: z.array(RowError), re_resolved: z.number().int().openapi({ description: "visitors whose account changed because of this import" }) }), "Counts, and the refused rows with reasons"),
    ...errors(400, 401, 403, 413),
  },
});

export const listAccounts = createRoute({
  method: "get", path: "/v1/accounts", tags: ["accounts"], summary: "Accounts ranked by engagement", ...secured("read"),
  request: {
    query: z.strictObject({
      ...windowQuery,
      segment: segmentName.optional().openapi({ description: "only accounts of this segment" }),
      sort: z.enum(SORT_NAMES).default("score").openapi({ description: "ranking, descending" }),
      limit: intQuery(1, 500, 50, "accounts per page"),
      cursor: z.string().max(500).optional().openapi({ description: "next_cursor of the previous page" }),
      series: z.enum(["daily"], { error: "must be daily, or left out for no series" }).optional().openapi({ description: "daily: each account also gets `daily`, its days with activity" }),
    }),
  },
  responses: {
    200: json(z.object({ window: DayRange, sort: z.enum(SORT_NAMES), accounts: z.array(AccountSummary), next_cursor: z.string().nullable() }), "A page of the ranking"),
    ...errors(400, 401, 403),
  },
});

const nullableNumber = z.number().nullable();

export const AccountDetail = z
  .object({
    account: z.object({
      domain: z.string(), name: z.string().nullable(), segment: z.string().nullable(), crm_id: z.string().nullable(), source: z.string(),
      domains: z.array(z.string()), asns: z.array(z.number()), created_at: z.string(),
    }),
    window: DayRange,
    counts: z.object({
      visitors: z.number(), people: z.number(), sessions: z.number(), pageviews: z.number(), high_intent_pageviews: z.number(), form_starts: z.number(),
      form_submits: z.number(), engaged_seconds: z.number(), events: z.number(), first_seen: z.string().nullable(), last_seen: z.string().nullable(),
    }),
    score: z.object({ value: z.number(), as_of: z.string(), half_life_days: z.number(), components: z.record(z.string(), z.number()).openapi({ description: "each component's decayed contribution; they add up to value" }) }),
    surging: z.boolean(),
    weekly: z.object({ this_week: z.object({ weighted: z.number(), events: z.number() }), previous_weeks: z.array(z.number()) }),
    daily: z.array(DailyPoint.extend({ visitors: z.number() })),
    top_pages: z.array(z.object({ path: z.string(), views: z.number(), visitors: z.number() })),
    people: z.array(z.object({ id: z.string(), email_hash: z.string().openapi({ description: "HMAC-SHA256 of the lower-cased email (key: HASH_SECRET)" }), email_domain: z.string().nullable(), first_seen: z.string(), last_seen: z.string(), devices: z.number() })),
    visitors: z.array(
      z.object({
        anonymous_id: z.string(), person_id: z.string().nullable(), method: z.string().nullable(), confidence: nullableNumber, resolved_at: z.string().nullable(),
        evidence: z.object({ group_id: z.string().nullable(), email_domain: z.string().nullable(), asn: nullableNumber, as_org: z.string().nullable() }),
        first_seen: z.string(), last_seen: z.string(),
      }),
    ),
  })
  .openapi("AccountDetail");

export const getAccount = createRoute({
  method: "get", path: "/v1/accounts/{domain}", tags: ["accounts"], summary: "One account: counts, score with components, daily series, top pages, people, resolution", ...secured("read"),
  request: { params: domainParam, query: z.strictObject(windowQuery) },
  responses: { 200: json(AccountDetail, "The account"), ...errors(400, 401, 403, 404) },
});

export const TimelineItem = z
  .object({
    at: z.string(),
    kind: z.string().openapi({ description: "session | identify | group | form_start | form_submit | form_abandon | deal_created | deal_closed | …" }),
    anonymous_id: z.string().nullable(),
    person_id: z.string().nullable(),
  })
  .catchall(z.unknown())
  .openapi("TimelineItem");

export const accountTimeline = createRoute({
  method: "get", path: "/v1/accounts/{domain}/timeline", tags: ["accounts"], summary: "The account's whole journey: sessions, forms, identify and group moments, deals", ...secured("read"),
  request: { params: domainParam, query: z.strictObject({}) },
  responses: {
    200: json(z.object({ account: z.object({ domain: z.string(), name: z.string().nullable(), segment: z.string().nullable() }), items: z.array(TimelineItem), truncated: z.boolean() }), "Every moment, oldest first"),
    ...errors(400, 401, 403, 404),
  },
});

const PeriodCoverage = DayRange.extend({ accounts: z.number().int(), engaged: z.number().int(), share: z.number().openapi({ description: "engaged ÷ accounts (0 for an empty segment)" }) }).openapi("PeriodCoverage");

export const coverage = createRoute({
  method: "get", path: "/v1/coverage", tags: ["accounts"], summary: "Share of a segment's accounts engaged this period and the one before", ...secured("read"),
  request: {
    query: z.strictObject({
      segment: segmentName.default("target"),
      period: z.enum(PERIOD_NAMES).default("quarter"),
      as_of: isoDate.optional().openapi({ description: "a day inside the current period (default today)" }),
    }),
  },
  responses: { 200: json(z.object({ segment: z.string(), period: z.enum(PERIOD_NAMES), current: PeriodCoverage, previous: PeriodCoverage }), "Both periods"), ...errors(400, 401, 403) },
});

const Weights = z.object({ page_view: z.number(), high_intent_page_view: z.number(), form_start: z.number(), form_submit: z.number(), engaged_minute: z.number() });
export const EngagementSettings = z
  .object({ half_life_days: z.number(), weights: Weights, high_intent_pages: z.array(z.string()).readonly() })
  .openapi("EngagementSettings");

export const getEngagementSettings = createRoute({
  method: "get", path: "/v1/settings/engagement", tags: ["accounts"], summary: "Engagement weights, page rules and half-life in effect", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(EngagementSettings, "The settings in effect"), ...errors(400, 401, 403) },
});

export const putEngagementSettings = createRoute({
  method: "put", path: "/v1/settings/engagement", tags: ["accounts"], summary: "Set engagement settings (omitted parts take the SPEC defaults)", ...secured("admin"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            half_life_days: z.number().optional(),
            weights: Weights.partial().strict().optional(),
            high_intent_pages: z.array(z.string().max(200)).max(100).optional().openapi({ example: ["/pricing"] }),
          }),
        },
      },
    },
  },
  responses: { 200: json(EngagementSettings, "The settings now in effect"), ...errors(400, 401, 403, 413, 415) },
});

export const accountRoutes = [importAccounts, listAccounts, getAccount, accountTimeline, coverage, getEngagementSettings, putEngagementSettings] as const;
