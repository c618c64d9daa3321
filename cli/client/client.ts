// A small typed client over the management API (SPEC §4), shared by the CLI (Node) and the
// dashboard (browser): only fetch, URL and Headers. The token always travels in the
// Authorization header, never in a URL.
import type {
  AccountDetail,
  AccountsPage,
  CoverageReport,
  CreatedKey,
  ExportFiles,
  GroupBy,
  ImportResult,
  KeyInfo,
  Model,
  RevenueReport,
  Scope,
  Site,
  Timeline,
} from "./types";

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

export type Query = Record<string, string | number | undefined | null>;

export interface AccountsQuery {
  window?: string;
  from?: string;
  to?: string;
  segment?: string;
  sort?: "score" | "sessions" | "pageviews" | "form_submits" | "engaged_seconds";
  limit?: number;
  cursor?: string;
  /** "daily" adds each account's daily series (AccountSummary.daily) */
  series?: "daily";
}

export interface RevenueQuery {
  by?: GroupBy;
  model?: Model;
  from?: string;
  to?: string;
  window?: string;
  currency?: string;
}

export interface ClientOptions {
  /** the collector's origin, e.g. http://localhost:8787; "" in the browser for same origin */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = opts.baseUrl.replace(/\/+$/, "");

  function urlOf(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
    const qs = params.toString();
    return `${base}${path}${qs ? `?${qs}` : ""}`;
  }

  async function send(method: string, path: string, init: { query?: Query; body?: BodyInit; contentType?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token}`, accept: "application/json" };
    if (init.contentType) headers["content-type"] = init.contentType;
    let res: Response;
    try {
      res = await doFetch(urlOf(path, init.query), { method, headers, body: init.body });
    } catch (err) {
      const where = base || "the collector";
      throw new FootholdError(0, "unreachable", `Could not reach ${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  async function json<T>(method: string, path: string, init?: { query?: Query; body?: BodyInit; contentType?: string }): Promise<T> {
    const res = await send(method, path, init);
    return (await res.json()) as T;
  }

  const jsonBody = (value: unknown) => ({ body: JSON.stringify(value), contentType: "application/json" });
  const enc = encodeURIComponent;

  return {
    /** raw access, for downloads and NDJSON */
    send,
    sites: {
      create: (name: string, domains: string[]) => json<Site>("POST", "/v1/sites", jsonBody({ name, domains })),
      list: () => json<{ sites: Site[] }>("GET", "/v1/sites"),
    },
    keys: {
      create: (name: string, scopes: Scope[]) => json<CreatedKey>("POST", "/v1/keys", jsonBody({ name, scopes })),
      list: () => json<{ keys: KeyInfo[] }>("GET", "/v1/keys"),
      revoke: (id: string) => json<{ id: string; revoked: boolean }>("DELETE", `/v1/keys/${enc(id)}`),
    },
    accounts: {
      list: (q: AccountsQuery = {}) => json<AccountsPage>("GET", "/v1/accounts", { query: { ...q } }),
      get: (domain: string, q: { window?: string; from?: string; to?: string } = {}) =>
        json<AccountDetail>("GET", `/v1/accounts/${enc(domain)}`, { query: q }),
      timeline: (domain: string) => json<Timeline>("GET", `/v1/accounts/${enc(domain)}/timeline`),
      importCsv: (csv: string) => json<ImportResult>("PUT", "/v1/accounts", { body: csv, contentType: "text/csv" }),
      importRows: (rows: readonly object[]) => json<ImportResult>("PUT", "/v1/accounts", jsonBody(rows)),
    },
    deals: {
      importCsv: (csv: string) => json<ImportResult>("PUT", "/v1/deals", { body: csv, contentType: "text/csv" }),
      importRows: (rows: readonly object[]) => json<ImportResult>("PUT", "/v1/deals", jsonBody(rows)),
    },
    coverage: (q: { segment?: string; period?: "week" | "month" | "quarter" } = {}) =>
      json<CoverageReport>("GET", "/v1/coverage", { query: q }),
    revenue: (q: RevenueQuery = {}) => json<RevenueReport>("GET", "/v1/revenue", { query: { ...q } }),
    exportFiles: () => json<ExportFiles>("GET", "/v1/export/files"),
  };
}

export type FootholdClient = ReturnType<typeof createClient>;

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
