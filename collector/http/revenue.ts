import type { Context } from "hono";
import { TIMELINE_SOURCES, type TimelineItem } from "../accounts/timeline";
import { parseWindow } from "../accounts/window";
import { registrableDomain } from "../identity/email";
import { GROUP_BYS, type GroupBy, MixedCurrenciesError, MODELS, type Model } from "../revenue";
import { importDeals } from "../revenue/deal-import";
import { dealInput, type DealInput, dealRecordsFromCsv, MAX_DEAL_ROWS, type RowError } from "../revenue/deal-rows";
import { revenueReport } from "../revenue/report";
import { accountsByDomainOrCrm } from "../storage/accounts";
import { type DealRow, dealsOfAccount, listDeals } from "../storage/deals";
import { readJson, readText } from "./body";
import { ApiError, badRequest } from "./errors";
import { intParam } from "./query";
import { route, type App, type AppEnv } from "./routes";

// Revenue (SPEC §4, §6): deals import, the deals list, and revenue attribution per group.

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

function onlyParams(c: Context<AppEnv>, allowed: string[]): Record<string, string> {
  const q = c.req.query();
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) throw badRequest("invalid_query", `Unknown query parameter \`${k}\`; this route takes ${allowed.join(", ")}.`);
  }
  return q;
}

/** Deals on the account timeline (GET /v1/accounts/:domain/timeline): created and closed moments. */
function dealMoments(d: DealRow): TimelineItem[] {
  const deal = { deal_id: d.id, amount: d.amount, currency: d.currency, stage: d.stage, won: d.won };
  const items: TimelineItem[] = [];
  if (d.created_at) items.push({ at: d.created_at, kind: "deal_created", anonymous_id: null, person_id: null, ...deal });
  if (d.closed_at) items.push({ at: d.closed_at, kind: "deal_closed", anonymous_id: null, person_id: null, ...deal });
  return items;
}

let timelineHooked = false;

export function revenueRoutes(app: App): void {
  // createApp may run more than once per isolate (tests): hook the timeline once.
  if (!timelineHooked) {
    TIMELINE_SOURCES.push(async (d1, account) => (await dealsOfAccount(d1, account.id)).flatMap(dealMoments));
    timelineHooked = true;
  }

  route(
    app,
    {
      method: "put", path: "/v1/deals", summary: "Upsert deals by id; the account is named by domain or crm_id", auth: "import", tag: "revenue",
      body: {
        contentTypes: ["application/json", "text/csv"],
        description: "rows of id, account (domain or crm_id), amount, currency (ISO 4217), stage, created_at, closed_at (ISO dates), won (true/false). An unknown domain creates its account; an unknown crm_id refuses the row.",
      },
      responses: { 200: "{ created, updated, invalid, errors: [{ row, reason }], accounts_created }", 400: "Not a list of rows", 413: "Too large" },
    },
    async (c) => {
      const isCsv = /^text\/csv\b/i.test(c.req.header("content-type") ?? "");
      let records: unknown[];
      if (isCsv) {
        const parsed = dealRecordsFromCsv(await readText(c, MAX_IMPORT_BYTES));
        if ("error" in parsed) throw badRequest("invalid_csv", parsed.error);
        records = parsed;
      } else {
        const body = await readJson(c, MAX_IMPORT_BYTES);
        if (!Array.isArray(body)) {
          throw badRequest("invalid_body", "Send a JSON array of { id, account, amount, currency, stage, created_at, closed_at, won }, or text/csv.");
        }
        records = body;
      }
      if (records.length > MAX_DEAL_ROWS) throw new ApiError(413, "too_many_rows", `An import may hold at most ${MAX_DEAL_ROWS} rows; split it.`);
      const valid: DealInput[] = [];
      const invalid: RowError[] = [];
      records.forEach((r, i) => {
        const out = dealInput(r, i + 1);
        if ("reason" in out) invalid.push(out);
        else valid.push(out);
      });
      return c.json(await importDeals(c.env.DB, valid, invalid, new Date().toISOString()));
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/deals", summary: "Imported deals, most recently closed first", auth: "read", tag: "revenue",
      query: { account: "only this account's deals (domain or crm_id)", limit: "1 to 500 (default 100)", offset: "rows to skip (default 0)" },
      responses: { 200: "{ deals: [{ id, account_domain, account_ref, amount, currency, stage, created_at, closed_at, won }] }", 404: "No such account" },
    },
    async (c) => {
      const q = onlyParams(c, ["account", "limit", "offset"]);
      const limit = intParam(q.limit, "limit", 100, 500, 1);
      if (limit < 1) throw badRequest("invalid_query", "`limit` must be at least 1.");
      const offset = intParam(q.offset, "offset", 0, 1_000_000);
      let accountId: number | null = null;
      if (q.account) {
        const domain = registrableDomain(q.account);
        const found = await accountsByDomainOrCrm(c.env.DB, domain ? [domain] : [], [q.account]);
        const account = found.byCrmId.get(q.account) ?? (domain ? found.byDomain.get(domain) : undefined);
        if (!account) throw new ApiError(404, "not_found", `No account has the domain or crm_id ${JSON.stringify(q.account.slice(0, 100))}.`);
        accountId = account.id;
      }
      const deals = await listDeals(c.env.DB, { accountId, limit, offset });
      return c.json({ deals: deals.map(({ imported_at: _i, updated_at: _u, account_id: _a, ...d }) => d) });
    },
  );

  route(
    app,
    {
      method: "get", path: "/v1/revenue", summary: "Won revenue attributed to touchpoints, and revenue per visitor, per group", auth: "read", tag: "revenue",
      query: {
        by: `${GROUP_BYS.join(", ")} (default channel)`,
        model: `${MODELS.join(", ")} (default linear)`,
        window: "7d, 30d (default) or 90d, ending today (UTC)",
        from: "first day, ISO date (instead of window)",
        to: "last day, ISO date (default today)",
        currency: "ISO 4217 code; needed when the window's won deals use several",
      },
      responses: {
        200: "{ by, model, window, currency, rows: [{ key, visitors, sessions, revenue, revenue_per_visitor }, …, total row], total, unattributed, other_currencies }",
        400: "Bad query parameter, or several currencies and none chosen",
      },
    },
    async (c) => {
      const q = onlyParams(c, ["by", "model", "window", "from", "to", "currency"]);
      const by = (q.by ?? "channel") as GroupBy;
      if (!GROUP_BYS.includes(by)) throw badRequest("invalid_query", `\`by\` must be one of ${GROUP_BYS.join(", ")}.`);
      const model = (q.model ?? "linear") as Model;
      if (!MODELS.includes(model)) throw badRequest("invalid_query", `\`model\` must be one of ${MODELS.join(", ")}.`);
      const window = parseWindow({ window: q.window, from: q.from, to: q.to }, new Date());
      if ("error" in window) throw badRequest("invalid_query", window.error);
      if (q.currency !== undefined && !/^[A-Za-z]{3}$/.test(q.currency)) {
        throw badRequest("invalid_query", "`currency` must be a three-letter ISO 4217 code such as USD.");
      }
      try {
        return c.json(await revenueReport(c.env.DB, { by, model, window, currency: q.currency?.toUpperCase() }));
      } catch (err) {
        if (err instanceof MixedCurrenciesError) throw badRequest("mixed_currencies", err.message);
        throw err;
      }
    },
  );
}
