import { beforeAll, describe, expect, it } from "vitest";
import { basic, call, createSite, waitForEvents } from "./helpers";

// GET /v1/accounts?series=daily: each account of the page carries its daily series, the same
// points as GET /v1/accounts/:domain's `daily` (less distinct visitors), so the dashboard draws
// a page's sparklines from one request.
//
// Scenario (days counted back from today, UTC, all in the default 30-day window):
//   Acme   — A1 on day −9: page /, page /pricing (high intent), group acme.com     → 3 events
//            A1 on day −2: page /docs, a form_submit                                 → 2 events
//   Globex — G1 on day −5: page /, group globex.com                                 → 2 events

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOME = { asn: 3320, asOrganization: "Deutsche Telekom AG", country: "DE" };
const DAY = 86_400_000;
const TODAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const at = (daysAgo: number, minute = 0) => new Date(TODAY - daysAgo * DAY + (10 * 60 + minute) * 60_000).toISOString();
const day = (daysAgo: number) => new Date(TODAY - daysAgo * DAY).toISOString().slice(0, 10);

let n = 0;
const page = (anon: string, when: string, path: string) => ({ type: "page", messageId: `s${++n}`, anonymousId: anon, timestamp: when, properties: { url: `https://example.com${path}` } });
const track = (anon: string, when: string, event: string, properties: Record<string, unknown> = {}) => ({ type: "track", messageId: `s${++n}`, anonymousId: anon, timestamp: when, event, properties });
const group = (anon: string, when: string, groupId: string) => ({ type: "group", messageId: `s${++n}`, anonymousId: anon, timestamp: when, groupId });

const get = async (path: string) => {
  const r = await call(path);
  return { status: r.status, body: (await r.json()) as any };
};

// Acme, day −9: one session; page / counts in pageviews, /pricing in pageviews and high intent.
const ACME_DAY_9 = { day: day(9), sessions: 1, pageviews: 2, high_intent_pageviews: 1, form_starts: 0, form_submits: 0, engaged_seconds: 0, events: 3 };
// Acme, day −2: a new session (a week later); one page view, one form submit.
const ACME_DAY_2 = { day: day(2), sessions: 1, pageviews: 1, high_intent_pageviews: 0, form_starts: 0, form_submits: 1, engaged_seconds: 0, events: 2 };
const GLOBEX_DAY_5 = { day: day(5), sessions: 1, pageviews: 1, high_intent_pageviews: 0, form_starts: 0, form_submits: 0, engaged_seconds: 0, events: 2 };

describe("GET /v1/accounts?series=daily", () => {
  beforeAll(async () => {
    const site = await createSite(["example.com"]);
    const r = await call("/v1/batch", {
      method: "POST", token: null, cf: HOME,
      headers: { authorization: basic(site.write_key), origin: "https://example.com", "user-agent": CHROME },
      body: JSON.stringify({
        batch: [
          page("A1", at(9, 0), "/"), page("A1", at(9, 1), "/pricing"), group("A1", at(9, 2), "acme.com"),
          page("A1", at(2, 0), "/docs"), track("A1", at(2, 1), "form_submit", { form: "demo" }),
          page("G1", at(5, 0), "/"), group("G1", at(5, 1), "globex.com"),
        ],
      }),
    });
    expect(r.status).toBe(200);
    expect(await waitForEvents(site.id, 7)).toHaveLength(7);
  });

  it("gives each account of the page its own days with activity, in day order", async () => {
    const list = await get("/v1/accounts?window=30d&series=daily");
    expect(list.status).toBe(200);
    const byDomain = Object.fromEntries(list.body.accounts.map((a: any) => [a.domain, a.daily]));
    expect(byDomain).toEqual({ "acme.com": [ACME_DAY_9, ACME_DAY_2], "globex.com": [GLOBEX_DAY_5] });
  });

  it("shows the same points as the account's own page, less its distinct visitors", async () => {
    const list = await get("/v1/accounts?window=30d&series=daily");
    const detail = await get("/v1/accounts/acme.com?window=30d");
    const acme = list.body.accounts.find((a: any) => a.domain === "acme.com");
    expect(detail.body.daily.map(({ visitors: _v, ...point }: any) => point)).toEqual(acme.daily);
  });

  it("covers only the window: with 7 days, Acme's day −9 is left out and Globex's day −5 kept", async () => {
    const list = await get("/v1/accounts?window=7d&series=daily");
    const byDomain = Object.fromEntries(list.body.accounts.map((a: any) => [a.domain, a.daily]));
    expect(byDomain).toEqual({ "acme.com": [ACME_DAY_2], "globex.com": [GLOBEX_DAY_5] });
  });

  it("pages the series with the accounts: limit=1 carries only the first account's days", async () => {
    const first = await get("/v1/accounts?window=30d&series=daily&limit=1");
    expect(first.body.accounts).toHaveLength(1);
    const second = await get(`/v1/accounts?window=30d&series=daily&limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    const pages = [...first.body.accounts, ...second.body.accounts].map((a: any) => [a.domain, a.daily.length]);
    expect(pages.sort()).toEqual([["acme.com", 2], ["globex.com", 1]]);
  });

  it("leaves the series out unless asked for", async () => {
    const list = await get("/v1/accounts?window=30d");
    expect(list.body.accounts).toHaveLength(2);
    for (const a of list.body.accounts) expect(a).not.toHaveProperty("daily");
  });

  it("refuses any other series with a sentence", async () => {
    for (const value of ["weekly", "", "DAILY"]) {
      const r = await get(`/v1/accounts?series=${value}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: "invalid_query", message: "`series` must be daily, or left out for no series." });
    }
  });
});
