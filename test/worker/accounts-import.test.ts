import { beforeAll, describe, expect, it } from "vitest";
import { basic, call, createSite, exportAll } from "./helpers";

// PUT /v1/accounts and what it changes after the fact (SPEC §5: adding a domain or ASN
// re-resolves past visitors), plus the account API's validation, scopes, paging and settings.

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOME = { asn: 3320, asOrganization: "Deutsche Telekom AG", country: "DE" };
const INITECH_NET = { asn: 64999, asOrganization: "INITECH-NET", country: "US" };
const DAY = 86_400_000;
const TODAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const at = (daysAgo: number, minute = 0) => new Date(TODAY - daysAgo * DAY + (9 * 60 + minute) * 60_000).toISOString();
const day = (daysAgo: number) => new Date(TODAY - daysAgo * DAY).toISOString().slice(0, 10);

let n = 0;
const page = (anon: string, when: string, path: string) => ({ type: "page", messageId: `i${++n}`, anonymousId: anon, timestamp: when, properties: { url: `https://example.com${path}` } });
const identify = (anon: string, when: string, email: string) => ({ type: "identify", messageId: `i${++n}`, anonymousId: anon, timestamp: when, traits: { email } });
const group = (anon: string, when: string, groupId: string) => ({ type: "group", messageId: `i${++n}`, anonymousId: anon, timestamp: when, groupId });

let site: { write_key: string };
let sent = 0;
async function send(cf: Record<string, unknown>, batch: unknown[]) {
  const r = await call("/v1/batch", {
    method: "POST", token: null, cf, body: JSON.stringify({ batch }),
    headers: { authorization: basic(site.write_key), origin: "https://example.com", "user-agent": CHROME },
  });
  expect(r.status).toBe(200);
  sent += batch.length;
  // Polls every 500 ms (see accounts.test.ts): wait until the consumer stored everything sent.
  for (let i = 0; i < 40 && (await exportAll()).length < sent; i++) await new Promise((r) => setTimeout(r, 500));
}

const get = async (path: string, token?: string) => {
  const r = await call(path, { token });
  return { status: r.status, body: (await r.json()) as any };
};
const put = async (body: string, type = "application/json", token?: string) => {
  const r = await call("/v1/accounts", { method: "PUT", body, token, headers: { "content-type": type } });
  return { status: r.status, body: (await r.json()) as any };
};
const key = async (scopes: string[]) => ((await (await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: scopes.join("+"), scopes }) })).json()) as { key: string }).key;

describe("accounts: import and re-resolution", () => {
  beforeAll(async () => {
    site = await createSite(["example.com"]);
  });

  it("moves a visitor's earlier sessions to an account that adds the visitor's email domain later", async () => {
    await send(HOME, [page("J1", at(5), "/")]);
    await send(HOME, [page("J1", at(3), "/pricing"), identify("J1", at(3, 1), "jane@initech-labs.io")]);
    // Unknown business domain: an account is created for it (SPEC §5 rule 2), holding both sessions.
    const auto = await get("/v1/accounts/initech-labs.io");
    expect(auto.body.account).toMatchObject({ domain: "initech-labs.io", source: "email" });
    expect(auto.body.counts).toMatchObject({ visitors: 1, sessions: 2 });

    const r = await put(JSON.stringify([{ domain: "initech.com", name: "Initech", segment: "target", domains: ["initech-labs.io"] }]));
    expect(r.body).toEqual({ created: 1, updated: 0, invalid: 0, errors: [], re_resolved: 1 });

    const moved = await get("/v1/accounts/initech.com");
    expect(moved.body.account).toMatchObject({ domain: "initech.com", name: "Initech", domains: ["initech-labs.io", "initech.com"] });
    expect(moved.body.counts).toMatchObject({ visitors: 1, people: 1, sessions: 2, pageviews: 2 });
    expect(moved.body.daily.map((d: any) => [d.day, d.sessions])).toEqual([[day(5), 1], [day(3), 1]]);
    const list = await get("/v1/accounts?window=30d");
    expect(list.body.accounts.map((a: any) => a.domain)).toEqual(["initech.com"]);
  });

  it("moves an anonymous visitor when its network's AS number is added by CSV", async () => {
    await send(INITECH_NET, [page("K1", at(2), "/"), page("K1", at(2, 1), "/docs")]);
    expect((await get("/v1/accounts/initech.com")).body.counts.visitors).toBe(1);

    const csv = [
      "domain,name,crm_id,segment,domains,asns",
      "initech.com,Initech Corp,crm-9,target,initech-labs.io;initech.de,AS64999",
      "not a domain,Broken,,,,",
      "umbrella.com,Umbrella,,customer,,12x",
      "umbrella.com,Umbrella,crm-10,customer,,",
    ].join("\n");
    const r = await put(csv, "text/csv");
    expect(r.body).toEqual({
      created: 1, updated: 1, invalid: 2, re_resolved: 1,
      errors: [
        { row: 2, reason: '`domain` "not a domain" is not a registrable domain.' },
        { row: 3, reason: '"12x" in `asns` is not an AS number (1 to 4294967295).' },
      ],
    });
    const d = (await get("/v1/accounts/initech.com")).body;
    expect(d.account).toMatchObject({ name: "Initech Corp", crm_id: "crm-9", asns: [64999] });
    expect(d.counts).toMatchObject({ visitors: 2, people: 1, sessions: 3, pageviews: 4 });
    expect(d.visitors.find((v: any) => v.anonymous_id === "K1")).toMatchObject({ method: "asn", confidence: 0.5 });
  });

  it("answers 400 with a sentence for every bad query parameter", async () => {
    for (const q of ["window=45d", "limit=0", "limit=abc", "limit=501", "sort=name", "cursor=nonsense", "from=2026-13-01", "from=2026-02-01&to=2026-01-01", "window=7d&from=2026-01-01", "to=2026-01-01", "from=2024-01-01&to=2026-01-01", "colour=red"]) {
      const r = await get(`/v1/accounts?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toMatch(/\.$/);
    }
    for (const q of ["period=year", "as_of=yesterday", "segment=" + "x".repeat(51)]) expect((await get(`/v1/coverage?${q}`)).status, q).toBe(400);
    expect((await get("/v1/accounts/initech.com?window=1y")).status).toBe(400);
    expect((await get("/v1/accounts/not_a_domain")).status).toBe(400);
    expect((await get("/v1/accounts/nobody.example")).status).toBe(404);
    expect((await put("{\"domain\":\"x.com\"}")).status).toBe(400);
    expect((await put("domain_name\nx.com", "text/csv")).status).toBe(400);
  });

  it("enforces scopes: read to look, import to write", async () => {
    const reader = await key(["read"]);
    const importer = await key(["import"]);
    expect((await get("/v1/accounts", reader)).status).toBe(200);
    expect((await get("/v1/accounts/initech.com/timeline", reader)).status).toBe(200);
    expect((await get("/v1/coverage", reader)).status).toBe(200);
    expect((await get("/v1/accounts", importer)).status).toBe(403);
    expect((await get("/v1/accounts/initech.com", importer)).status).toBe(403);
    expect((await put("[]", "application/json", reader)).status).toBe(403);
    expect((await put("[]", "application/json", importer)).status).toBe(200);
    expect((await call("/v1/accounts", { token: null })).status).toBe(401);
    expect((await get("/v1/settings/engagement", reader)).status).toBe(403);
  });

  it("pages through tied accounts without skipping or repeating one", async () => {
    await put(JSON.stringify(["c-tie.com", "a-tie.com", "b-tie.com"].map((domain) => ({ domain, segment: "tie" }))));
    // One identical page view each, the same day: equal scores, equal sessions.
    for (const d of ["c-tie.com", "a-tie.com", "b-tie.com"]) await send(HOME, [group(`T-${d}`, at(1), d), page(`T-${d}`, at(1, 1), "/")]);
    for (const sort of ["score", "sessions"]) {
      const first = (await get(`/v1/accounts?segment=tie&sort=${sort}&limit=2`)).body;
      expect(first.accounts.map((a: any) => a.domain)).toEqual(["a-tie.com", "b-tie.com"]);
      const second = (await get(`/v1/accounts?segment=tie&sort=${sort}&limit=2&cursor=${first.next_cursor}`)).body;
      expect(second.accounts.map((a: any) => a.domain)).toEqual(["c-tie.com"]);
      expect(second.next_cursor).toBeNull();
    }
  });

  it("ranks by decayed score over the window, and by raw counts when asked", async () => {
    await put(JSON.stringify(["old.com", "new.com"].map((domain) => ({ domain, segment: "decay" }))));
    // old.com: one page 40 days ago (outside 30d), three pages 28 days ago; new.com: one page yesterday.
    await send(HOME, [group("O1", at(40), "old.com"), page("O1", at(40, 1), "/")]);
    await send(HOME, [page("O1", at(28), "/a"), page("O1", at(28, 1), "/b"), page("O1", at(28, 2), "/c")]);
    await send(HOME, [group("N1", at(1), "new.com"), page("N1", at(1, 1), "/")]);
    const ranked = (await get("/v1/accounts?segment=decay")).body.accounts;
    // new.com 1 · 2^(−1/14) = 0.952 beats old.com 3 · 2^(−28/14) = 0.75; the page 40 days ago is outside.
    expect(ranked.map((a: any) => [a.domain, a.pageviews])).toEqual([["new.com", 1], ["old.com", 3]]);
    expect(ranked[1].score).toBeCloseTo(0.75, 4);
    const byViews = (await get("/v1/accounts?segment=decay&sort=pageviews")).body.accounts;
    expect(byViews.map((a: any) => a.domain)).toEqual(["old.com", "new.com"]);
    expect((await get("/v1/accounts?segment=decay&window=7d")).body.accounts.map((a: any) => a.domain)).toEqual(["new.com"]);
    const past = (await get(`/v1/accounts?segment=decay&from=${day(45)}&to=${day(35)}`)).body.accounts;
    expect(past.map((a: any) => [a.domain, a.pageviews, a.score])).toEqual([["old.com", 1, 0.7807]]); // 2^(−5/14) = 0.7807 as of 35 days ago
  });

  it("scores with the deployment's engagement settings", async () => {
    expect((await get("/v1/settings/engagement")).body).toEqual({
      half_life_days: 14,
      weights: { page_view: 1, high_intent_page_view: 3, form_start: 2, form_submit: 10, engaged_minute: 0.5 },
      high_intent_pages: ["/pricing", "/demo", "/contact"],
    });
    const before = (await get("/v1/accounts/a-tie.com")).body.score;
    expect(before.value).toBeCloseTo(2 ** (-1 / 14), 4); // one page view yesterday: 1 · 2^(−1/14)
    const r = await call("/v1/settings/engagement", { method: "PUT", body: JSON.stringify({ half_life_days: 7, weights: { page_view: 2 } }) });
    expect(r.status).toBe(200);
    expect((await get("/v1/accounts/a-tie.com")).body.score.value).toBeCloseTo(2 * 2 ** (-1 / 7), 4); // 2 · 2^(−1/7)
    // A slow decay (half-life 100) turns the decay segment's ranking around: old.com's three
    // page views 28 days ago, 3 · 2^(−28/100) = 2.4708, now beat new.com's one, 2^(−1/100) = 0.9931 (weights back to the defaults).
    await call("/v1/settings/engagement", { method: "PUT", body: JSON.stringify({ half_life_days: 100 }) });
    expect((await get("/v1/accounts?segment=decay")).body.accounts.map((a: any) => [a.domain, a.score])).toEqual([["old.com", 2.4708], ["new.com", 0.9931]]);
    const bad = await call("/v1/settings/engagement", { method: "PUT", body: JSON.stringify({ half_life_days: 0 }) });
    expect(bad.status).toBe(400);
    expect((await call("/v1/settings/engagement", { method: "PUT", body: JSON.stringify({ weights: { clicks: 1 } }) })).status).toBe(400);
  });
});
