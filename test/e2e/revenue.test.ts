import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "./harness";

// SPEC §6's example through the running collector (wrangler dev): a month of 6,000 visitors and
// deals worth 0.75 × $1.1M — three won deals of $275,000 — give $137.50 per visitor.
//   825,000 / 6,000 = 137.50
//
// Visitor i (0 … 5,999) views one page on day i mod 30 of the month; its channel is set by
// i mod 12: 0–5 Organic Search (3,000 visitors), 6–8 Paid Search (1,500), 9–10 Email (1,000),
// 11 Direct (500). Seven visitors identify with a company email, so the pipeline resolves them:
//   acme.com     v6 (Paid Search, day 6), v9 (Email, day 9)
//   globex.com   v0 (Organic, day 0), v1 (Organic, day 1), v7 (Paid Search, day 7), v11 (Direct, day 11)
//   initech.com  v10 (Email, day 10)
// Each account wins one $275,000 deal closed on day 28. Not counted: a lost $1M deal, a won
// deal closed after the month, and a crawler's page view.

const DAY = 86_400_000;
const now = new Date();
const BASE = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 45 * DAY;
const at = (day: number, minute = 0) => new Date(BASE + day * DAY + (9 * 60 + minute) * 60_000).toISOString();
const dayOf = (day: number) => new Date(BASE + day * DAY).toISOString().slice(0, 10);
const MONTH = `from=${dayOf(0)}&to=${dayOf(29)}`;
const VISITORS = 6_000;
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

function pageOf(i: number) {
  const k = i % 12;
  const url =
    k < 6 ? "https://example.com/blog/post"
    : k < 9 ? "https://example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand"
    : k < 11 ? "https://example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=monthly"
    : "https://example.com/";
  return {
    type: "page", messageId: `e2e-rev-${i}`, anonymousId: `v${i}`, timestamp: at(i % 30, i % 60),
    properties: { url, ...(k < 6 ? { referrer: "https://www.google.com/" } : {}) },
    context: { userAgent: CHROME },
  };
}

const MEMBERS: Record<string, number[]> = { "acme.com": [6, 9], "globex.com": [0, 1, 7, 11], "initech.com": [10] };

let collector: Collector;
let site: { id: string; write_key: string };

async function batch(events: unknown[]) {
  const r = await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${site.write_key}:`)}` },
    body: JSON.stringify({ batch: events }),
  });
  expect(r.status, await r.clone().text()).toBe(200);
}

async function report(query: string) {
  const r = await collector.api(`/v1/revenue?${query}&${MONTH}`);
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as {
    rows: { key: string; visitors: number; sessions: number; revenue: number; revenue_per_visitor: number | null }[];
    total: { visitors: number; sessions: number; revenue: number; revenue_per_visitor: number };
    unattributed: number;
    deals: number;
  };
}

const byKey = <R extends { key: string }>(rows: R[]): Record<string, R> => Object.fromEntries(rows.map((r) => [r.key, r]));

beforeAll(async () => {
  collector = await startCollector();
  site = await collector.createSite("Marketing", ["example.com"]);

  // 6,000 page views in 12 requests of 500, sent two at a time.
  const pages = Array.from({ length: VISITORS }, (_, i) => pageOf(i));
  for (let i = 0; i < pages.length; i += 1_000) {
    await Promise.all([batch(pages.slice(i, i + 500)), batch(pages.slice(i + 500, i + 1_000))]);
  }
  const identifies = Object.entries(MEMBERS).flatMap(([domain, ids]) =>
    ids.map((i) => ({ type: "identify", messageId: `e2e-rev-id-${i}`, anonymousId: `v${i}`, timestamp: at(i % 30, (i % 60) + 1), traits: { email: `person${i}@${domain}` }, context: { userAgent: CHROME } })),
  );
  await batch(identifies);
  // A crawler in the same month: kept and flagged, never a visitor.
  await batch([{ type: "page", messageId: "e2e-rev-bot", anonymousId: "crawler", timestamp: at(3), properties: { url: "https://example.com/" }, context: { userAgent: BOT } }]);
  const stored = await collector.exportEvents({ expect: VISITORS + identifies.length + 1, timeoutMs: 120_000 });
  expect(stored).toHaveLength(VISITORS + identifies.length + 1);
  expect(stored.find((e) => e.anonymous_id === "crawler")).toMatchObject({ is_bot: true });

  const deal = (id: string, account: string, amount: number, closed: number, won: boolean) => ({
    id, account, amount, currency: "USD", stage: won ? "closed_won" : "closed_lost", created_at: dayOf(2), closed_at: at(closed, 180), won,
  });
  const r = await collector.api("/v1/deals", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      deal("OPP-1", "acme.com", 275_000, 28, true),
      deal("OPP-2", "globex.com", 275_000, 28, true),
      deal("OPP-3", "initech.com", 275_000, 28, true),
      deal("OPP-4", "acme.com", 1_000_000, 20, false),
      deal("OPP-5", "globex.com", 90_000, 35, true),
    ]),
  });
  expect(await r.json()).toMatchObject({ created: 5, updated: 0, invalid: 0, accounts_created: [] });
}, 300_000);

afterAll(async () => {
  await collector?.stop();
});

describe("revenue per visitor through the running collector", () => {
  it("a month of 6,000 visitors and 0.75 × $1.1M won gives $137.50 per visitor", async () => {
    const body = await report("by=channel&model=linear");
    expect(body.total).toMatchObject({ visitors: 6_000, sessions: 6_000, revenue: 825_000, revenue_per_visitor: 137.5 });
    expect(body.deals).toBe(3);
    expect(body.unattributed).toBe(0);
  });

  it("linear, per channel: each deal split evenly over its account's sessions", async () => {
    // acme 275,000 / 2 = 137,500 to v6 (Paid Search) and v9 (Email)
    // globex 275,000 / 4 = 68,750 to v0, v1 (Organic), v7 (Paid Search), v11 (Direct)
    // initech 275,000 to v10 (Email)
    //   Paid Search 137,500 + 68,750 = 206,250 / 1,500 visitors = 137.50
    //   Email 137,500 + 275,000 = 412,500 / 1,000 = 412.50
    //   Organic Search 2 × 68,750 = 137,500 / 3,000 = 45.83
    //   Direct 68,750 / 500 = 137.50
    const rows = byKey((await report("by=channel&model=linear")).rows);
    expect(rows["Paid Search"]).toEqual({ key: "Paid Search", visitors: 1_500, sessions: 1_500, revenue: 206_250, revenue_per_visitor: 137.5 });
    expect(rows.Email).toEqual({ key: "Email", visitors: 1_000, sessions: 1_000, revenue: 412_500, revenue_per_visitor: 412.5 });
    expect(rows["Organic Search"]).toEqual({ key: "Organic Search", visitors: 3_000, sessions: 3_000, revenue: 137_500, revenue_per_visitor: 45.83 });
    expect(rows.Direct).toEqual({ key: "Direct", visitors: 500, sessions: 500, revenue: 68_750, revenue_per_visitor: 137.5 });
  });

  it("first touch, per channel: each deal to its account's earliest session", async () => {
    // acme → v6 (day 6, Paid Search); globex → v0 (day 0, Organic); initech → v10 (Email)
    //   Paid Search 275,000 / 1,500 = 183.33; Organic 275,000 / 3,000 = 91.67; Email 275,000 / 1,000 = 275
    const rows = byKey((await report("by=channel&model=first_touch")).rows);
    expect([rows["Paid Search"].revenue_per_visitor, rows["Organic Search"].revenue_per_visitor, rows.Email.revenue_per_visitor]).toEqual([183.33, 91.67, 275]);
    expect(rows.Direct.revenue).toBe(0);
  });

  it("markov over all 6,000 journeys credits every converting channel and keeps the total", async () => {
    const started = Date.now();
    const body = await report("by=channel&model=markov");
    console.log(`GET /v1/revenue?model=markov over ${VISITORS} visitors: ${Date.now() - started} ms`);
    expect(body.total.revenue_per_visitor).toBe(137.5);
    const groups = body.rows.filter((r) => r.key !== "total");
    expect(groups.reduce((s, r) => s + r.revenue, 0)).toBeCloseTo(825_000, 0);
    for (const channel of ["Paid Search", "Email", "Organic Search", "Direct"]) expect(byKey(groups)[channel].revenue).toBeGreaterThan(0);
  });
});
