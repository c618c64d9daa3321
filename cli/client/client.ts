// The management API's client (SPEC §4), shared by the CLI (Node) and the dashboard (browser):
// hono/client's `hc`, typed from the route declarations themselves (collector/http/api), so an
// answer that changes shape fails `npm run typecheck` here instead of drifting. Only fetch, URL
// and Headers at run time. The token always travels in the Authorization header, never in a URL.
import { hc } from "hono/client";
import type { ApiType } from "../../collector/http/api";

/** Every failure, as the API's `{ error: { code, message } }` or our own words (status 0: no answer). */
export class FootholdError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "FootholdError";
  }
}

export interface ClientOptions {
  /** the collector's origin, e.g. http://localhost:8787; "" in the browser for same origin */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

/** The answer of a call when it succeeded: the declared 2xx body. */
type Success<R> = R extends { ok: true; json(): Promise<infer T> } ? T : never;

export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = opts.baseUrl.replace(/\/+$/, "");
  const where = base || "the collector";

  /** fetch that throws a FootholdError for no answer or a non-2xx one, so callers see only successes. */
  async function guarded(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(input, init);
    } catch (err) {
      throw new FootholdError(0, "unreachable", `Could not reach ${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  const headers = { authorization: `Bearer ${opts.token}`, accept: "application/json" };
  // hc needs an absolute URL; in the browser the API is on the page's own origin.
  const origin = base || (typeof location === "undefined" ? "http://localhost" : location.origin);
  const api = hc<ApiType>(origin, { fetch: guarded, headers });
  const answer = async <R extends { json(): Promise<unknown> }>(call: Promise<R>): Promise<Success<R>> => (await call).json() as Promise<Success<R>>;
  /** A body the route reads itself (CSV, or JSON rows it judges one by one). */
  const raw = (body: string, contentType: string) => ({ headers: { "content-type": contentType }, init: { body } });
  const enc = encodeURIComponent;
  const v1 = api.v1;

  return {
    /** the typed client itself, for routes without a helper below */
    api,
    /** raw access, for downloads (a path from the API, e.g. an export file's `url`) */
    send: (method: string, path: string) => guarded(`${base}${path}`, { method, headers }),
    sites: {
      create: (name: string, domains: string[]) => answer(v1.sites.$post({ json: { name, domains } })),
      list: () => answer(v1.sites.$get({ query: {} })),
    },
    keys: {
      create: (name: string, scopes: Scope[]) => answer(v1.keys.$post({ json: { name, scopes } })),
      list: () => answer(v1.keys.$get({ query: {} })),
      revoke: (id: string) => answer(v1.keys[":id"].$delete({ param: { id: enc(id) } })),
    },
    accounts: {
      list: (query: Query<typeof v1.accounts.$get> = {}) => answer(v1.accounts.$get({ query })),
      get: (domain: string, query: Query<(typeof v1.accounts)[":domain"]["$get"]> = {}) => answer(v1.accounts[":domain"].$get({ param: { domain: enc(domain) }, query })),
      timeline: (domain: string) => answer(v1.accounts[":domain"].timeline.$get({ param: { domain: enc(domain) }, query: {} })),
      importCsv: (csv: string) => answer(v1.accounts.$put({}, raw(csv, "text/csv"))),
      importRows: (rows: readonly object[]) => answer(v1.accounts.$put({}, raw(JSON.stringify(rows), "application/json"))),
    },
    deals: {
      importCsv: (csv: string) => answer(v1.deals.$put({}, raw(csv, "text/csv"))),
      importRows: (rows: readonly object[]) => answer(v1.deals.$put({}, raw(JSON.stringify(rows), "application/json"))),
    },
    spend: {
      importCsv: (csv: string) => answer(v1.spend.$put({}, raw(csv, "text/csv"))),
      importRows: (rows: readonly object[]) => answer(v1.spend.$put({}, raw(JSON.stringify(rows), "application/json"))),
    },
    coverage: (query: Query<typeof v1.coverage.$get> = {}) => answer(v1.coverage.$get({ query })),
    campaigns: (query: Query<typeof v1.campaigns.$get> = {}) => answer(v1.campaigns.$get({ query })),
    content: (query: Query<typeof v1.content.$get> = {}) => answer(v1.content.$get({ query })),
    dealJourney: (id: string) => answer(v1.deals[":id"].journey.$get({ param: { id: enc(id) }, query: {} })),
    revenue: (query: Query<typeof v1.revenue.$get> = {}) => answer(v1.revenue.$get({ query })),
    exportFiles: () => answer(v1.export.files.$get({ query: {} })),
  };
}

export type FootholdClient = ReturnType<typeof createClient>;

/** A route's query, as its declaration takes it. */
type Query<F extends (...args: never[]) => unknown> = NonNullable<Parameters<F>[0]> extends { query?: infer Q } ? Q : never;

// The answers' types, named once for the commands and views that print them.
type Answer<K extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<K>>;
export type Site = Answer<FootholdClient["sites"]["create"]>;
export type Scope = "read" | "import" | "export" | "admin";
export type AccountsPage = Answer<FootholdClient["accounts"]["list"]>;
export type AccountSummary = AccountsPage["accounts"][number];
export type AccountDetail = Answer<FootholdClient["accounts"]["get"]>;
export type Timeline = Answer<FootholdClient["accounts"]["timeline"]>;
export type TimelineItem = Timeline["items"][number];
export type CoverageReport = Answer<FootholdClient["coverage"]>;
export type PeriodCoverage = CoverageReport["current"];
export type RevenueReport = Answer<FootholdClient["revenue"]>;
export type RevenueRow = RevenueReport["rows"][number];
export type GroupBy = RevenueReport["by"];
export type Model = RevenueReport["model"];
export type RevenueQuery = NonNullable<Parameters<FootholdClient["revenue"]>[0]>;
export type AccountsQuery = NonNullable<Parameters<FootholdClient["accounts"]["list"]>[0]>;
export type WindowName = NonNullable<AccountsQuery["window"]>;
export type Sort = NonNullable<AccountsQuery["sort"]>;
export type Period = CoverageReport["period"];
export type AccountImport = Answer<FootholdClient["accounts"]["importRows"]>;
export type DealImport = Answer<FootholdClient["deals"]["importRows"]>;
export type SpendImport = Answer<FootholdClient["spend"]["importRows"]>;
export type CampaignsReport = Answer<FootholdClient["campaigns"]>;
export type CampaignRow = CampaignsReport["rows"][number];
export type ContentReport = Answer<FootholdClient["content"]>;
export type ContentRow = ContentReport["rows"][number];
export type ContentSort = ContentReport["sort"];
export type DealJourney = Answer<FootholdClient["dealJourney"]>;
export type JourneyEvent = DealJourney["events"][number];
export type ExportFiles = Answer<FootholdClient["exportFiles"]>;
export type ExportFile = ExportFiles["events"]["files"][number];

/** The groups without the total row the API appends to `rows`. */
export const groupRows = (r: RevenueReport): RevenueRow[] =>
  r.rows.length > 0 && r.rows[r.rows.length - 1].key === "total" ? r.rows.slice(0, -1) : r.rows;

async function errorOf(res: Response): Promise<FootholdError> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body.error && typeof body.error.message === "string") {
      return new FootholdError(res.status, typeof body.error.code === "string" ? body.error.code : "error", body.error.message);
    }
  } catch {
    // not the API's JSON: a proxy or a wrong URL
  }
  return new FootholdError(res.status, "http_error", `HTTP ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`);
}
