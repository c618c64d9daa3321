import { accountDetail } from "../accounts/detail";
import { importAccounts } from "../accounts/import";
import { accountInput, type AccountInput, MAX_ROWS, recordsFromCsv, type RowError } from "../accounts/import-rows";
import { decodeCursor, rankAccountsPage } from "../accounts/ranking";
import { accountTimeline } from "../accounts/timeline";
import { parseWindow, type Window } from "../accounts/window";
import { coverage, periodBounds } from "../engagement/coverage";
import { engagementSettings } from "../engagement/settings";
import { registrableDomain } from "../identity/email";
import { readEngagementSettings, readScoring, writeEngagementSettings } from "../storage/accounts-settings";
import { accountByDomain, segmentEngagement, type Sort } from "../storage/accounts-read";
import type { AccountRow } from "../storage/accounts";
import { readJson, readText } from "./body";
import type { Context } from "hono";
import * as api from "./api/accounts";
import { ApiError, badRequest } from "./errors";
import { implement, type App, type AppEnv } from "./routes";

// Accounts (SPEC §4): import, ranking, one account, its timeline, coverage, engagement settings.

const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

function windowOf(q: { window?: string; from?: string; to?: string }): Window {
  // Formats are checked by the schema; how the three combine is the window's own rule.
  const w = parseWindow(q, new Date());
  if ("error" in w) throw badRequest("invalid_query", w.error);
  return w;
}

async function accountOf(c: Context<AppEnv>, raw: string): Promise<AccountRow> {
  // Hono has decoded the path parameter already.
  const domain = registrableDomain(raw);
  if (domain === null) throw badRequest("invalid_domain", `${JSON.stringify(raw.slice(0, 100))} is not a domain.`);
  const account = await accountByDomain(c.env.DB, domain);
  if (!account) throw new ApiError(404, "not_found", `No account has the domain ${domain}.`);
  return account;
}

// The declaration lists the sorts without importing storage (clients compile it): same lists, both ways.
const sortsAgree: [Sort] extends [api.SortName] ? ([api.SortName] extends [Sort] ? true : never) : never = true;
void sortsAgree;

const segmentOf = (v: string | undefined): string | null => (v === undefined || v.trim() === "" ? null : v.trim().toLowerCase());

export function accountRoutes(app: App): void {
  implement(
    app,
    api.importAccounts,
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
      return c.json(await importAccounts(c.env.DB, valid, invalid, new Date().toISOString()), 200);
    },
  );

  implement(app, api.listAccounts, async (c) => {
    const q = c.req.valid("query");
    const window = windowOf(q);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && after === null) throw badRequest("invalid_query", "`cursor` is not one this API gave out; pass next_cursor as it came.");
    const scoring = await readScoring(c.env.DB);
    const page = await rankAccountsPage(c.env.DB, { window, scoring, segment: segmentOf(q.segment), sort: q.sort, limit: q.limit, after, series: q.series ?? null });
    return c.json({ window, sort: q.sort, ...page }, 200);
  });

  implement(app, api.getAccount, async (c) => {
    const window = windowOf(c.req.valid("query"));
    const account = await accountOf(c, c.req.valid("param").domain);
    return c.json(await accountDetail(c.env.DB, account, window, await readEngagementSettings(c.env.DB)), 200);
  });

  implement(app, api.accountTimeline, async (c) => {
    const account = await accountOf(c, c.req.valid("param").domain);
    const { items, truncated } = await accountTimeline(c.env.DB, account);
    return c.json({ account: { domain: account.domain, name: account.name, segment: account.segment }, items, truncated }, 200);
  });

  implement(app, api.coverage, async (c) => {
    const q = c.req.valid("query");
    const segment = segmentOf(q.segment) ?? "target";
    const asOfDay = q.as_of ?? new Date().toISOString().slice(0, 10);
    const bounds = periodBounds(q.period, new Date(`${asOfDay}T00:00:00Z`));
    const { members, engaged } = await segmentEngagement(c.env.DB, segment, [bounds.current, bounds.previous]);
    const result = coverage(members, engaged[0], engaged[1]);
    // `to` is exclusive in periodBounds; the answer names the last day, like every window here.
    const last = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return c.json(
      {
        segment,
        period: q.period,
        current: { from: bounds.current.from, to: last(bounds.current.to), ...result.current },
        previous: { from: bounds.previous.from, to: last(bounds.previous.to), ...result.previous },
      },
      200,
    );
  });

  implement(app, api.getEngagementSettings, async (c) => c.json(await readEngagementSettings(c.env.DB), 200));

  implement(app, api.putEngagementSettings, async (c) => {
    let settings;
    try {
      // Shapes are checked by the schema; whether the numbers make sense, by the settings module.
      settings = engagementSettings(c.req.valid("json"));
    } catch (err) {
      throw badRequest("invalid_settings", err instanceof Error ? `${err.message}.` : "Invalid settings.");
    }
    await writeEngagementSettings(c.env.DB, settings, new Date().toISOString());
    return c.json(settings, 200);
  });
}
