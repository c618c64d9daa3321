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
    pipeline: (query: Query<typeof v1.pipeline.$get> = {}) => answer(v1.pipeline.$get({ query })),
    funnel: (query: Query<typeof v1.funnel.$get> = {}) => answer(v1.funnel.$get({ query })),
    plan: (query: Query<typeof v1.funnel.plan.$get>) => answer(v1.funnel.plan.$get({ query })),
    customers: (query: Query<typeof v1.customers.$get> = {}) => answer(v1.customers.$get({ query })),
    exportFiles: () => answer(v1.export.files.$get({ query: {} })),
    status: () => answer(v1.status.$get({ query: {} })),
    retention: {
      get: () => answer(v1.settings.retention.$get({ query: {} })),
      set: (change: Body<typeof v1.settings.retention.$put>) => answer(v1.settings.retention.$put({ json: change })),
    },
    alerts: {
      create: (rule: AlertInput) => answer(v1.alerts.$post({ json: rule })),
      list: () => answer(v1.alerts.$get({ query: {} })),
      remove: (id: string) => answer(v1.alerts[":id"].$delete({ param: { id: enc(id) } })),
      deliveries: (id: string, limit?: number) => answer(v1.alerts[":id"].deliveries.$get({ param: { id: enc(id) }, query: limit === undefined ? {} : { limit } })),
      test: (id: string) => answer(v1.alerts[":id"].test.$post({ param: { id: enc(id) } })),
    },
    privacy: {
      erase: (key: EraseKey) => answer(v1.privacy.erase.$post({ json: key })),
      erasure: (id: string) => answer(v1.privacy.erasures[":id"].$get({ param: { id: enc(id) }, query: {} })),
      erasures: (query: Query<typeof v1.privacy.erasures.$get> = {}) => answer(v1.privacy.erasures.$get({ query })),
    },
  };
}

export type FootholdClient = ReturnType<typeof createClient>;

/** A route's JSON body, as its declaration takes it. */
type Body<F extends (...args: never[]) => unknown> = NonNullable<Parameters<F>[0]> extends { json: infer B } ? B : never;
/** POST /v1/alerts's body, as its declaration takes it. */
type AlertInput = NonNullable<Parameters<ReturnType<typeof hc<ApiType>>["v1"]["alerts"]["$post"]>[0]>["json"];

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
export type PipelineReport = Answer<FootholdClient["pipeline"]>;
export type PipelineRow = PipelineReport["total"];
export type FunnelReport = Answer<FootholdClient["funnel"]>;
export type FunnelStage = FunnelReport["stages"][number];
export type FunnelBy = NonNullable<FunnelReport["by"]>;
export type FunnelPlan = Answer<FootholdClient["plan"]>;
export type PlanQuery = Parameters<FootholdClient["plan"]>[0];
export type PlanPeriod = FunnelPlan["per"];
export type CustomersReport = Answer<FootholdClient["customers"]>;
export type CustomersPeriod = CustomersReport["current"];
export type CustomerPeriod = CustomersReport["period"];
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
export type Status = Answer<FootholdClient["status"]>;
export type Retention = Answer<FootholdClient["retention"]["get"]>;
export type Alert = Answer<FootholdClient["alerts"]["list"]>["alerts"][number];
export type NewAlert = Answer<FootholdClient["alerts"]["create"]>;
export type AlertRuleInput = AlertInput;
export type AlertKindName = Alert["when"]["kind"];
export type AlertFormatName = Alert["format"];
export type AlertDelivery = Answer<FootholdClient["alerts"]["test"]>;
/** What an erasure is asked for by: exactly one of these. */
export type EraseKey = { email: string } | { user_id: string } | { anonymous_id: string };
export type Erasure = Answer<FootholdClient["privacy"]["erasure"]>;
export type ErasureLog = Answer<FootholdClient["privacy"]["erasures"]>;
export type ErasureSummary = ErasureLog["erasures"][number];

/** The groups without the total row the API appends to `rows`. */
export const groupRows = <R extends { key: string }>(r: { rows: R[] }): R[] =>
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
