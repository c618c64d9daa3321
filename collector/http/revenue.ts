import { TIMELINE_SOURCES, type TimelineItem } from "../accounts/timeline";
import { parseWindow } from "../accounts/window";
import { registrableDomain } from "../identity/email";
import { MixedCurrenciesError } from "../revenue";
import { importDeals } from "../revenue/deal-import";
import { dealInput, type DealInput, dealRecordsFromCsv, MAX_DEAL_ROWS, type RowError } from "../revenue/deal-rows";
import type { DealType } from "../revenue/deal-type";
import { withDealTypes } from "../revenue/deal-types-read";
import { revenueReport } from "../revenue/report";
import { accountsByDomainOrCrm } from "../storage/accounts";
import { type DealRow, dealsOfAccount, listDeals } from "../storage/deals";
import { readJson, readText } from "./body";
import * as api from "./api/revenue";
import { ApiError, badRequest } from "./errors";
import { implement, type App } from "./routes";

// Revenue (SPEC §4, §6): deals import, the deals list, and revenue attribution per group.

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** Deals on the account timeline (GET /v1/accounts/:domain/timeline): created and closed moments. */
function dealMoments(d: DealRow & { type: DealType }): TimelineItem[] {
  const deal = { deal_id: d.id, amount: d.amount, currency: d.currency, stage: d.stage, won: d.won, type: d.type };
  const items: TimelineItem[] = [];
  if (d.created_at) items.push({ at: d.created_at, kind: "deal_created", anonymous_id: null, person_id: null, ...deal });
  if (d.closed_at) items.push({ at: d.closed_at, kind: "deal_closed", anonymous_id: null, person_id: null, ...deal });
  return items;
}

let timelineHooked = false;

export function revenueRoutes(app: App): void {
  // createApp may run more than once per isolate (tests): hook the timeline once.
  if (!timelineHooked) {
    TIMELINE_SOURCES.push(async (d1, account) => (await withDealTypes(d1, await dealsOfAccount(d1, account.id), new Date())).flatMap(dealMoments));
    timelineHooked = true;
  }

  implement(
    app,
    api.importDeals,
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
          throw badRequest("invalid_body", "Send a JSON array of { id, account, amount, currency, stage, created_at, closed_at, won, type }, or text/csv.");
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
      return c.json(await importDeals(c.env.DB, valid, invalid, new Date().toISOString()), 200);
    },
  );

  implement(app, api.listDeals, async (c) => {
    const q = c.req.valid("query");
    let accountId: number | null = null;
    if (q.account) {
      const domain = registrableDomain(q.account);
      const found = await accountsByDomainOrCrm(c.env.DB, domain ? [domain] : [], [q.account]);
      const account = found.byCrmId.get(q.account) ?? (domain ? found.byDomain.get(domain) : undefined);
      if (!account) throw new ApiError(404, "not_found", `No account has the domain or crm_id ${JSON.stringify(q.account.slice(0, 100))}.`);
      accountId = account.id;
    }
    const deals = await withDealTypes(c.env.DB, await listDeals(c.env.DB, { accountId, limit: q.limit, offset: q.offset }), new Date());
    return c.json({ deals: deals.map(({ imported_at: _i, updated_at: _u, account_id: _a, ...d }) => d) }, 200);
  });

  implement(app, api.revenue, async (c) => {
    const q = c.req.valid("query");
    // Formats are checked by the schema; how window, from and to combine is the window's rule.
    const window = parseWindow(q, new Date());
    if ("error" in window) throw badRequest("invalid_query", window.error);
    try {
      return c.json(await revenueReport(c.env.DB, { by: q.by, model: q.model, window, currency: q.currency?.toUpperCase() }), 200);
    } catch (err) {
      if (err instanceof MixedCurrenciesError) throw badRequest("mixed_currencies", err.message);
      throw err;
    }
  });
}
