import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { basic, call, createSite, exportAll } from "./helpers";

// Revenue end to end inside workerd: deals in through PUT /v1/deals (JSON and CSV), a small
// journey in through the Segment API, resolved to Acme by the pipeline (identify with a company
// email), then GET /v1/revenue for several models with figures worked out by hand below.
//
// Days are counted from BASE (60 days ago, midnight UTC); the report window is BASE .. BASE+30.
//   a1 (Acme): S1 day 0  Paid Search  (utm google/cpc/brand, landing /blog)
//              S2 day 7  Organic Search (referrer google, /pricing then /demo), identifies → lead
//   b1 (Acme): S3 day 14 Email (utm newsletter/email/oct, landing /), identifies
//              S4 day 21 Direct (/pricing)
//   c1 (unresolved): S5 day 4 Direct (/)
//   a crawler: day 5, never counted
// Deals: D-1 Acme 12,000 USD won, created day 9, closed day 24; D-2 Globex 3,000 USD won,
// closed day 20, Globex has no touchpoint → unattributed; D-3 Acme lost (ignored).
// Traffic in the window: 3 visitors (a1, b1, c1), 5 sessions. Total RPV = 15,000 / 3 = 5,000.

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOME = { asn: 7922, asOrganization: "Comcast Cable Communications, LLC", country: "US" };

const DAY = 86_400_000;
const now = new Date();
const BASE = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 60 * DAY;
const at = (day: number, minute = 0) => new Date(BASE + day * DAY + (10 * 60 + minute) * 60_000).toISOString();
const dayOf = (day: number) => new Date(BASE + day * DAY).toISOString().slice(0, 10);
const WINDOW = `from=${dayOf(0)}&to=${dayOf(30)}`;

let n = 0;
const page = (anon: string, when: string, url: string, referrer?: string) => ({
  type: "page", messageId: `rv${++n}`, anonymousId: anon, timestamp: when, properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) },
});
const identify = (anon: string, when: string, email: string) => ({ type: "identify", messageId: `rv${++n}`, anonymousId: anon, timestamp: when, traits: { email } });

let site: { id: string; write_key: string };
async function send(batch: unknown[]) {
  const r = await call("/v1/batch", {
    method: "POST", token: null, cf: HOME, body: JSON.stringify({ batch }),
    headers: { authorization: basic(site.write_key), origin: "https://example.com", "user-agent": CHROME },
  });
  expect(r.status).toBe(200);
}

/**
 * A crawler's page view, handed to the queue consumer flagged as ingest flags it (is_bot), as
 * test/worker/accounts.test.ts does: under vitest's workerd runner ua-parser-js does not load, so
 * a crawler's user agent sent through /v1/batch is not flagged there (see the report).
 */
async function crawl(anon: string, when: string) {
  const e: EnrichedEvent = {
    message_id: `rv${++n}`, type: "page", event: null, site_id: site.id, anonymous_id: anon, user_id: null, group_id: null,
    previous_id: null, timestamp: when, received_at: when, original_timestamp: null, url: "https://example.com/", path: "/", title: null, referrer: null,
    referrer_host: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null, gclid: null,
    msclkid: null, li_fat_id: null, fbclid: null, ttclid: null, channel: "Direct", country: "US", region: null, city: null,
    asn: HOME.asn, as_org: HOME.asOrganization, user_agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    browser: null, os: null, device: null, is_bot: true, bot_reason: "user-agent", email_hash: null, email_domain: null,
    properties: "{}", traits: "{}",
  };
  const batch = createMessageBatch<QueueMessageBody>("foothold-events", [{ id: e.message_id, timestamp: new Date(), attempts: 1, body: { v: 1, events: [e], rejects: [] } }]);
  await worker.queue(batch, env as unknown as Env);
}

async function stored(count: number) {
  for (let i = 0; i < 40; i++) {
    if ((await exportAll()).length >= count) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const json = async (path: string) => {
  const r = await call(path);
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json() as Promise<any>;
};

/** key → [revenue, visitors, sessions, revenue_per_visitor] of a report's rows */
async function revenue(query: string): Promise<Record<string, [number, number, number, number | null]>> {
  const body = await json(`/v1/revenue?${query}&${WINDOW}`);
  return Object.fromEntries(body.rows.map((r: any) => [r.key, [r.revenue, r.visitors, r.sessions, r.revenue_per_visitor]]));
}

describe("deals import", () => {
  beforeAll(async () => {
    site = await createSite(["example.com"]);
    const accounts = await call("/v1/accounts", {
      method: "PUT",
      body: JSON.stringify([
        { domain: "acme.com", name: "Acme", crm_id: "CRM-1", segment: "target" },
        { domain: "globex.com", name: "Globex", crm_id: "CRM-2", segment: "customer" },
      ]),
    });
    expect(accounts.status).toBe(200);
  });

  it("takes JSON, and refuses a row whose amount carries a currency sign, naming the row", async () => {
    const r = await call("/v1/deals", {
      method: "PUT",
      body: JSON.stringify([
        { id: "D-1", account: "acme.com", amount: 10_000, currency: "USD", stage: "negotiation", created_at: dayOf(9), won: false },
        { id: "D-3", account: "CRM-1", amount: 50_000, currency: "USD", stage: "closed_lost", created_at: dayOf(2), closed_at: dayOf(12), won: false },
        { id: "D-9", account: "acme.com", amount: "$5,000", currency: "USD", closed_at: dayOf(3), won: true },
      ]),
    });
    expect(r.status).toBe(200);
    const body = await r.json<any>();
    expect(body).toMatchObject({ created: 2, updated: 0, invalid: 1, accounts_created: [] });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].row).toBe(3);
    expect(body.errors[0].reason).toMatch(/amount/);
  });

  it("takes CSV: updates by id, creates an unknown domain's account, refuses an unknown CRM id", async () => {
    const csv = [
      "id,account,amount,currency,stage,created_at,closed_at,won",
      `D-1,CRM-1,12000,USD,closed_won,${dayOf(9)},${at(24)},true`,
      `D-2,globex.com,3000.00,usd,closed_won,${dayOf(15)},${dayOf(20)},yes`,
      `D-4,CRM-404,900,USD,closed_won,${dayOf(1)},${dayOf(2)},true`,
      `D-5,initech.com,700,USD,proposal,${dayOf(3)},,false`,
    ].join("\n");
    const r = await call("/v1/deals", { method: "PUT", body: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(200);
    const body = await r.json<any>();
    expect(body).toMatchObject({ created: 2, updated: 1, invalid: 1, accounts_created: ["initech.com"] });
    expect(body.errors).toEqual([{ row: 3, reason: expect.stringContaining("CRM-404") }]);

    const list = await json("/v1/deals?account=acme.com");
    expect(list.deals.map((d: any) => [d.id, d.amount, d.won])).toEqual([["D-1", 12_000, true], ["D-3", 50_000, false]]);
    expect((await json("/v1/deals?account=initech.com")).deals[0]).toMatchObject({ id: "D-5", account_domain: "initech.com", currency: "USD" });
  });

  it("refuses a body that is not a list of deals, and a CSV without the columns", async () => {
    const notList = await call("/v1/deals", { method: "PUT", body: JSON.stringify({ id: "D-1" }) });
    expect(notList.status).toBe(400);
    const noColumns = await call("/v1/deals", { method: "PUT", body: "deal,value\nx,1", headers: { "content-type": "text/csv" } });
    expect(noColumns.status).toBe(400);
    expect((await noColumns.json<any>()).error.message).toMatch(/account/);
  });
});

describe("GET /v1/revenue", () => {
  beforeAll(async () => {
    await send([
      page("a1", at(0), "/blog?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
      page("a1", at(7), "/pricing", "https://www.google.com/"),
      page("a1", at(7, 3), "/demo"),
      identify("a1", at(7, 5), "alice@acme.com"),
      page("b1", at(14), "/?utm_source=newsletter&utm_medium=email&utm_campaign=oct"),
      identify("b1", at(14, 1), "bob@acme.com"),
      page("b1", at(21), "/pricing"),
      page("c1", at(4), "/"),
    ]);
    await crawl("crawler", at(5));
    await stored(9);
  });

  it("total: won revenue over unique human visitors, with Globex's deal unattributed", async () => {
    const body = await json(`/v1/revenue?by=channel&model=linear&${WINDOW}`);
    // 12,000 + 3,000 won in the window; 3 visitors (the crawler is not one), 5 sessions.
    // Journey medians over the won deals with a touch: only D-1 (Globex has none), first touched
    // by S1 at day 0 10:00 and closed at day 24 10:00 → 24 days, 4 sessions before the close.
    expect(body.total).toEqual({ key: "total", visitors: 3, sessions: 5, revenue: 15_000, revenue_per_visitor: 5_000, median_days_to_close: 24, median_touches: 4 });
    expect(body.rows.at(-1)).toEqual(body.total);
    expect(body.unattributed).toBe(3_000);
    expect(body.currency).toBe("USD");
    expect(body.deals).toBe(2);
  });

  it("linear: 12,000 / 4 sessions = 3,000 each; Direct has two visitors (b1, c1)", async () => {
    expect(await revenue("by=channel&model=linear")).toMatchObject({
      "Paid Search": [3_000, 1, 1, 3_000],
      "Organic Search": [3_000, 1, 1, 3_000],
      Email: [3_000, 1, 1, 3_000],
      Direct: [3_000, 2, 2, 1_500],
    });
  });

  it("first, last and U-shaped touch", async () => {
    expect((await revenue("by=channel&model=first_touch"))["Paid Search"][0]).toBe(12_000);
    // last touch S4 (Direct): 12,000 over Direct's 2 visitors = 6,000
    expect((await revenue("by=channel&model=last_touch")).Direct).toEqual([12_000, 2, 2, 6_000]);
    // 40% first (4,800), 40% last (4,800), 20% over the 2 middle touches (1,200 each)
    const u = await revenue("by=channel&model=u_shaped");
    expect([u["Paid Search"][0], u["Organic Search"][0], u.Email[0], u.Direct[0]]).toEqual([4_800, 1_200, 1_200, 4_800]);
  });

  it("W-shaped: lead (a1's identify, S2) is also the opportunity (last touch before day 9)", async () => {
    // S1 30% = 3,600; S2 30% + 30% = 7,200; S3, S4 share 10%: 600 each
    const w = await revenue("by=channel&model=w_shaped");
    expect([w["Paid Search"][0], w["Organic Search"][0], w.Email[0], w.Direct[0]]).toEqual([3_600, 7_200, 600, 600]);
  });

  it("time decay: 2^(−days/7) from the latest touch", async () => {
    // S1 21 d → 1/8, S2 14 d → 1/4, S3 7 d → 1/2, S4 0 d → 1; sum 15/8
    // 12,000 × (1/8)/(15/8) = 800, × (1/4)/(15/8) = 1,600, × (1/2)/(15/8) = 3,200, × 1/(15/8) = 6,400
    const t = await revenue("by=channel&model=time_decay");
    expect([t["Paid Search"][0], t["Organic Search"][0], t.Email[0], t.Direct[0]]).toEqual([800, 1_600, 3_200, 6_400]);
  });

  it("markov: removal effects over Acme's converting journey and c1's journey that did not convert", async () => {
    // Journeys: PS → OS → Email → Direct → conversion; Direct → null.
    // P(conv) = ½·(PS→OS→E→D: D→conv ½) + ½·(D: ½) = ½. Without PS, OS or Email: ¼ → effect ½ each;
    // without Direct: 0 → effect 1. Shares: ½/2.5 = 0.2 (PS, OS, Email), 1/2.5 = 0.4 (Direct).
    const body = await json(`/v1/revenue?by=channel&model=markov&${WINDOW}`);
    expect(body.removal_effects).toEqual({ Direct: 0.4, Email: 0.2, "Organic Search": 0.2, "Paid Search": 0.2 });
    const m = Object.fromEntries(body.rows.map((r: any) => [r.key, r.revenue]));
    expect(m).toEqual({ Direct: 4_800, "Paid Search": 2_400, "Organic Search": 2_400, Email: 2_400, total: 15_000 });
  });

  it("by page: a session's credit is split over its pages", async () => {
    // linear 3,000 per session: S1 /blog; S2 /pricing + /demo (1,500 each); S3 /; S4 /pricing
    // /pricing: 4,500 over a1 and b1 → 2,250; /: 3,000 over b1 and c1 → 1,500
    expect(await revenue("by=page&model=linear")).toMatchObject({
      "/pricing": [4_500, 2, 2, 2_250],
      "/blog": [3_000, 1, 1, 3_000],
      "/": [3_000, 2, 2, 1_500],
      "/demo": [1_500, 1, 1, 1_500],
    });
  });

  it("by campaign and by account segment", async () => {
    // sessions without a campaign (S2, S4, S5) fall under (none)
    expect(await revenue("by=campaign&model=linear")).toMatchObject({ "(none)": [6_000, 3, 3, 2_000], brand: [3_000, 1, 1, 3_000], oct: [3_000, 1, 1, 3_000] });
    // Acme is a target account: its 4 sessions from a1 and b1; c1 is unresolved
    expect(await revenue("by=account_segment&model=linear")).toMatchObject({ target: [12_000, 2, 4, 6_000], "(none)": [0, 1, 1, 0] });
  });

  it("puts Acme's deals on its account timeline", async () => {
    const body = await json("/v1/accounts/acme.com/timeline");
    const deals = body.items.filter((i: any) => i.kind.startsWith("deal_")).map((i: any) => [i.kind, i.deal_id]);
    expect(deals).toEqual([["deal_created", "D-3"], ["deal_created", "D-1"], ["deal_closed", "D-3"], ["deal_closed", "D-1"]]);
  });

  it("refuses mixed currencies without currency=, and reports the others aside with it", async () => {
    const r = await call("/v1/deals", {
      method: "PUT",
      body: JSON.stringify([{ id: "D-7", account: "acme.com", amount: 1_000, currency: "EUR", closed_at: dayOf(26), won: true }]),
    });
    expect((await r.json<any>()).created).toBe(1);
    const mixed = await call(`/v1/revenue?${WINDOW}`);
    expect(mixed.status).toBe(400);
    expect((await mixed.json<any>()).error).toMatchObject({ code: "mixed_currencies", message: expect.stringContaining("EUR, USD") });
    const usd = await json(`/v1/revenue?currency=usd&${WINDOW}`);
    expect(usd.total.revenue).toBe(15_000);
    expect(usd.other_currencies).toEqual({ EUR: 1_000 });
  });

  it("answers 400 with a sentence for every bad parameter", async () => {
    for (const [query, word] of [
      ["by=country", "by"], ["model=shapley", "model"], ["from=2026-02-30", "from"], ["window=12d", "window"],
      ["currency=dollars", "currency"], ["sort=revenue", "sort"],
    ]) {
      const r = await call(`/v1/revenue?${query}`);
      expect(r.status, query).toBe(400);
      expect((await r.json<any>()).error.message, query).toContain(word);
    }
    expect((await call("/v1/revenue", { token: null })).status).toBe(401);
  });
});
