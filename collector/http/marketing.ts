import { parseWindow } from "../accounts/window";
import { type ClassifyChannel, MAX_SPEND_ROWS, type RowError, type SpendInput, spendInput, spendRecordsFromCsv } from "../marketing/spend-rows";
import { campaignsReport } from "../marketing/campaigns-report";
import { decodeContentCursor } from "../marketing/content";
import { contentReport } from "../marketing/content-report";
import { dealJourney } from "../marketing/journey-report";
import { importSpend } from "../marketing/spend-import";
import { classifyChannel } from "../ingest/enrich/channel";
import { MixedCurrenciesError } from "../revenue";
import { channelRules } from "../storage/channel-rules";
import { readJson, readText } from "./body";
import * as api from "./api/marketing";
import { ApiError, badRequest } from "./errors";
import { implement, type App } from "./routes";

// Spend and return, campaigns, content and deal journeys (SPEC §10).

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

function windowOf(q: { window?: string; from?: string; to?: string }) {
  // Formats are checked by the schema; how window, from and to combine is the window's rule.
  const w = parseWindow(q, new Date());
  if ("error" in w) throw badRequest("invalid_query", w.error);
  return w;
}

/** Reports refuse to add currencies together: a 400 that says to choose one. */
async function inOneCurrency<T>(report: Promise<T>): Promise<T> {
  try {
    return await report;
  } catch (err) {
    if (err instanceof MixedCurrenciesError) throw badRequest("mixed_currencies", err.message);
    throw err;
  }
}

export function marketingRoutes(app: App): void {
  implement(app, api.importSpend, async (c) => {
    const isCsv = /^text\/csv\b/i.test(c.req.header("content-type") ?? "");
    let records: unknown[];
    if (isCsv) {
      const parsed = spendRecordsFromCsv(await readText(c, MAX_IMPORT_BYTES));
      if ("error" in parsed) throw badRequest("invalid_csv", parsed.error);
      records = parsed;
    } else {
      const body = await readJson(c, MAX_IMPORT_BYTES);
      if (!Array.isArray(body)) {
        throw badRequest("invalid_body", "Send a JSON array of { date, channel, source, medium, campaign, amount, currency, clicks, impressions }, or text/csv.");
      }
      records = body;
    }
    if (records.length > MAX_SPEND_ROWS) throw new ApiError(413, "too_many_rows", `An import may hold at most ${MAX_SPEND_ROWS} rows; split it.`);
    // A row without a channel gets the one a visit with its source and medium would get here.
    const rules = await channelRules(c.env.DB);
    const classify: ClassifyChannel = (source, medium) =>
      classifyChannel({ utm_source: source, utm_medium: medium, utm_campaign: null, gclid: null, msclkid: null, li_fat_id: null, fbclid: null, ttclid: null, referrer_host: null }, rules);
    const valid: SpendInput[] = [];
    const invalid: RowError[] = [];
    records.forEach((r, i) => {
      const out = spendInput(r, i + 1, classify);
      if ("reason" in out) invalid.push(out);
      else valid.push(out);
    });
    return c.json(await importSpend(c.env.DB, valid, invalid, new Date().toISOString()), 200);
  });

  implement(app, api.campaigns, async (c) => {
    const q = c.req.valid("query");
    const segment = q.segment === undefined || q.segment.trim() === "" ? null : q.segment.trim().toLowerCase();
    return c.json(await inOneCurrency(campaignsReport(c.env.DB, { window: windowOf(q), segment, model: q.model, currency: q.currency?.toUpperCase() })), 200);
  });

  implement(app, api.content, async (c) => {
    const q = c.req.valid("query");
    const window = windowOf(q);
    const after = q.cursor ? decodeContentCursor(q.cursor) : null;
    if (q.cursor && after === null) throw badRequest("invalid_query", "`cursor` is not one this API gave out; pass next_cursor as it came.");
    return c.json(await inOneCurrency(contentReport(c.env.DB, { window, model: q.model, sort: q.sort, limit: q.limit, after, currency: q.currency?.toUpperCase() })), 200);
  });

  implement(app, api.dealJourney, async (c) => {
    const { id } = c.req.valid("param");
    const journey = await dealJourney(c.env.DB, id, new Date());
    if (!journey) throw new ApiError(404, "not_found", `No deal has the id ${JSON.stringify(id.slice(0, 100))}.`);
    return c.json(journey, 200);
  });
}
