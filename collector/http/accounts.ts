import { SERIES, type Series } from "../accounts/daily";
import { accountDetail } from "../accounts/detail";
import { importAccounts } from "../accounts/import";
import { accountInput, type AccountInput, MAX_ROWS, recordsFromCsv, type RowError } from "../accounts/import-rows";
import { decodeCursor, rankAccountsPage } from "../accounts/ranking";
import { accountTimeline } from "../accounts/timeline";
import { isoDay, parseWindow, type Window } from "../accounts/window";
import { coverage, type CoveragePeriod, periodBounds } from "../engagement/coverage";
import { engagementSettings, type EngagementOverrides } from "../engagement/settings";
import { registrableDomain } from "../identity/email";
import { readEngagementSettings, readScoring, writeEngagementSettings } from "../storage/accounts-settings";
import { accountByDomain, segmentEngagement, SORTS, type Sort } from "../storage/accounts-read";
import type { AccountRow } from "../storage/accounts";
import { readJson, readText } from "./body";
import { ApiError, badRequest } from "./errors";
import { intParam } from "./query";
import { route, type App } from "./routes";
import type { Context } from "hono";
import type { AppEnv } from "./routes";

// Accounts (SPEC §4): import, ranking, one account, its timeline, coverage, engagement settings.

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** 400 for a query parameter the route does not take (a typo should not silently do nothing). */
function onlyParams(c: Context<AppEnv>, allowed: string[]): Record<string, string> {
  const q = c.req.query();
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) throw badRequest("invalid_query", `Unknown query parameter \`${k}\`; this route takes ${allowed.join(", ")}.`);
  }
  return q;
}

function windowOf(q: Record<string, string>): Window {
  const w = parseWindow({ window: q.window, from: q.from, to: q.to }, new Date());
  if ("error" in w) throw badRequest("invalid_query", w.error);
  return w;
}

async function accountOf(c: Context<AppEnv>): Promise<AccountRow> {
  const raw = c.req.param("domain") ?? "";
  // Hono has decoded the path parameter already.
  const domain = registrableDomain(raw);
  if (domain === null) throw badRequest("invalid_domain", `${JSON.stringify(raw.slice(0, 100))} is not a domain.`);
  const account = await accountByDomain(c.env.DB, domain);
  if (!account) throw new ApiError(404, "not_found", `No account has the domain ${domain}.`);
  return account;
}

function segmentParam(v: string | undefined): string | null {
  if (v === undefined || v === "") return null;
  if (v.length > 50) throw badRequest("invalid_query", "`segment` may be at most 50 characters.");
  return v.trim().toLowerCase();
}

function seriesParam(v: string | undefined): Series | null {
  if (v === undefined) return null;
  if (!(SERIES as readonly string[]).includes(v)) throw badRequest("invalid_query", `\`series\` must be ${SERIES.join(" or ")}, or left out for no series.`);
  return v as Series;
}

export function accountRoutes(app: App): void {
  route(
    app,
    {
      method: "put", path: "/v1/accounts", summary: "Upsert accounts (by crm_id or domain); re-resolves past visitors", auth: "import", tag: "accounts",
      body: { contentTypes: ["application/json", "text/csv"], description: "rows of domain, name, crm_id, segment, domains, asns (CSV: extra domains/asns separated by ;)" },
      responses: { 200: "{ created, updated, invalid, errors: [{ row, reason }], re_resolved }", 400: "Not a list of rows", 413: "Too large" },
    },
    async (c) => {
      const isCsv = /^text\/csv\b/i.test(c.req.header("content-type") ?? "");
      let records: unknown[];
      if (isCsv) {
        const parsed = recordsFromCsv(await readText(c, MAX_IMPORT_BYTES));
        if ("error" in parsed) throw badRequest("invalid_csv", parsed.error);
        records = parsed;
      } else {
        const body = await readJson(c, MAX_IMPORT_BYTES);
        if (!Array.isArray(body)) throw badRequest("invalid_body", "Send a JSON array of { domain, name, crm_id, segment, domains: [], asns: [] }, or text/csv.");
        records = body;
      }
      if (records.length > MAX_ROWS) throw new ApiError(413, "too_many_rows", `An import may hold at most ${MAX_ROWS} rows; split it.`);
      const valid: AccountInput[] = [];
      const invalid: RowError[] = [];
      records.forEach((r, i) => {
        const out = accountInput(r, i + 1);
        if ("reason" in out) invalid.push(out);
        else valid.push(out);
      });
      return c.json(await importAccounts(c.env.DB, valid, invalid, new Date().toISOString()));
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/accounts", summary: "Accounts ranked by engagement", auth: "read", tag: "accounts",
      query: {
        window: "7d, 30d (default) or 90d, ending today (UTC)", from: "first day, ISO date (instead of window)", to: "last day, ISO date (default today)",
        segment: "only accounts of this segment", sort: `${SORTS.join(", ")} (default score), descending`, limit: "1 to 500 (default 50)", cursor: "next_cursor of the previous page",
        series: "daily: each account also gets `daily`, the window's days with activity, shaped like GET /v1/accounts/:domain's series without visitors (default none)",
      },
      responses: { 200: "{ window, accounts: [{ domain, name, segment, score, visitors, people, sessions, pageviews, form_submits, engaged_seconds, first_seen, last_seen, surging, daily? }], next_cursor }", 400: "Bad query parameter" },
    },
    async (c) => {
      const q = onlyParams(c, ["window", "from", "to", "segment", "sort", "limit", "cursor", "series"]);
      const window = windowOf(q);
      const sort = (q.sort ?? "score") as Sort;
      if (!SORTS.includes(sort)) throw badRequest("invalid_query", `\`sort\` must be one of ${SORTS.join(", ")}.`);
      const limit = intParam(q.limit, "limit", 50, 500, 1);
      if (limit < 1) throw badRequest("invalid_query", "`limit` must be at least 1.");
      const after = q.cursor ? decodeCursor(q.cursor) : null;
      if (q.cursor && after === null) throw badRequest("invalid_query", "`cursor` is not one this API gave out; pass next_cursor as it came.");
      const series = seriesParam(q.series);
      const scoring = await readScoring(c.env.DB);
      const page = await rankAccountsPage(c.env.DB, { window, scoring, segment: segmentParam(q.segment), sort, limit, after, series });
      return c.json({ window, sort, ...page });
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/accounts/:domain", summary: "One account: counts, score with components, daily series, top pages, people, resolution", auth: "read", tag: "accounts",
      query: { window: "7d, 30d (default) or 90d", from: "ISO date", to: "ISO date" },
      responses: { 200: "{ account, window, counts, score, surging, weekly, daily, top_pages, people, visitors }", 404: "No such account" },
    },
    async (c) => {
      const q = onlyParams(c, ["window", "from", "to"]);
      const window = windowOf(q);
      const account = await accountOf(c);
      return c.json(await accountDetail(c.env.DB, account, window, await readEngagementSettings(c.env.DB)));
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/accounts/:domain/timeline", summary: "The account's whole journey: sessions, forms, identify and group moments, deals", auth: "read", tag: "accounts",
      responses: { 200: "{ account, items: [{ at, kind, anonymous_id, person_id, … }], truncated }", 404: "No such account" },
    },
    async (c) => {
      onlyParams(c, []);
      const account = await accountOf(c);
      const { items, truncated } = await accountTimeline(c.env.DB, account);
      return c.json({ account: { domain: account.domain, name: account.name, segment: account.segment }, items, truncated });
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/coverage", summary: "Share of a segment's accounts engaged this period and the one before", auth: "read", tag: "accounts",
      query: { segment: "default target", period: "week, month or quarter (default)", as_of: "ISO date inside the current period (default today)" },
      responses: { 200: "{ segment, period, current: { from, to, accounts, engaged, share }, previous: {…} }" },
    },
    async (c) => {
      const q = onlyParams(c, ["segment", "period", "as_of"]);
      const segment = segmentParam(q.segment) ?? "target";
      const period = (q.period ?? "quarter") as CoveragePeriod;
      if (!["week", "month", "quarter"].includes(period)) throw badRequest("invalid_query", "`period` must be week, month or quarter.");
      const asOfDay = q.as_of === undefined ? new Date().toISOString().slice(0, 10) : isoDay(q.as_of);
      if (asOfDay === null) throw badRequest("invalid_query", "`as_of` must be an ISO date, e.g. 2026-01-31.");
      const bounds = periodBounds(period, new Date(`${asOfDay}T00:00:00Z`));
      const { members, engaged } = await segmentEngagement(c.env.DB, segment, [bounds.current, bounds.previous]);
      const result = coverage(members, engaged[0], engaged[1]);
      // `to` is exclusive in periodBounds; the answer names the last day, like every window here.
      const last = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      return c.json({
        segment,
        period,
        current: { from: bounds.current.from, to: last(bounds.current.to), ...result.current },
        previous: { from: bounds.previous.from, to: last(bounds.previous.to), ...result.previous },
      });
    },
  );

  route(
    app,
    { method: "get", path: "/v1/settings/engagement", summary: "Engagement weights, page rules and half-life in effect", auth: "admin", tag: "accounts", responses: { 200: "{ half_life_days, weights, high_intent_pages }" } },
    async (c) => c.json(await readEngagementSettings(c.env.DB)),
  );

  route(
    app,
    {
      method: "put", path: "/v1/settings/engagement", summary: "Set engagement settings (omitted parts take the SPEC defaults)", auth: "admin", tag: "accounts",
      body: { contentTypes: ["application/json"], description: "{ half_life_days?, weights?: { page_view, high_intent_page_view, form_start, form_submit, engaged_minute }, high_intent_pages?: [\"/pricing\"] }" },
      responses: { 200: "the settings now in effect", 400: "Invalid settings" },
    },
    async (c) => {
      const body = await readJson(c, 64 * 1024);
      const overrides = settingsInput(body);
      let settings;
      try {
        settings = engagementSettings(overrides);
      } catch (err) {
        throw badRequest("invalid_settings", err instanceof Error ? `${err.message}.` : "Invalid settings.");
      }
      await writeEngagementSettings(c.env.DB, settings, new Date().toISOString());
      return c.json(settings);
    },
  );
}

const WEIGHT_KEYS = ["page_view", "high_intent_page_view", "form_start", "form_submit", "engaged_minute"];

function settingsInput(body: unknown): EngagementOverrides {
  if (!isObject(body)) throw badRequest("invalid_settings", "Send { half_life_days, weights, high_intent_pages }.");
  for (const k of Object.keys(body)) {
    if (!["half_life_days", "weights", "high_intent_pages"].includes(k)) throw badRequest("invalid_settings", `Unknown setting \`${k}\`.`);
  }
  const { half_life_days, weights, high_intent_pages } = body;
  if (half_life_days !== undefined && typeof half_life_days !== "number") throw badRequest("invalid_settings", "`half_life_days` must be a number.");
  if (weights !== undefined) {
    if (!isObject(weights)) throw badRequest("invalid_settings", `\`weights\` must be an object of ${WEIGHT_KEYS.join(", ")}.`);
    for (const [k, v] of Object.entries(weights)) {
      if (!WEIGHT_KEYS.includes(k)) throw badRequest("invalid_settings", `Unknown weight \`${k}\`; weights are ${WEIGHT_KEYS.join(", ")}.`);
      if (typeof v !== "number") throw badRequest("invalid_settings", `weight \`${k}\` must be a number.`);
    }
  }
  if (high_intent_pages !== undefined && (!Array.isArray(high_intent_pages) || high_intent_pages.length > 100 || !high_intent_pages.every((p) => typeof p === "string" && p.length <= 200))) {
    throw badRequest("invalid_settings", "`high_intent_pages` must be a list of at most 100 paths, e.g. [\"/pricing\"].");
  }
  return { half_life_days, weights: weights as EngagementOverrides["weights"], high_intent_pages: high_intent_pages as string[] | undefined };
}
