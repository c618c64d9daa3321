import type { Collector } from "./harness";

// The scenario the Campaigns, Content and deal journey tests read, sent through the public API
// only (accounts and deals imported, visits through /v1/batch, resolved by identify; spend is
// imported by the test itself, with the CLI). Days count from BASE, 70 days ago (UTC); page views
// at 10:00 plus the minutes given. Every day is inside the dashboard's default window (90 days).
//   g1 (Globex, target):    day 10 Direct /, identifies; day 47 campaign spring (google/cpc) /landing
//   a1 (Acme, target):      day 45 spring /landing, /features; day 50 Organic Search /pricing, identifies;
//                           day 60 /case-study 11:50, /careers 12:10; day 62 /docs
//   h1 (Hooli, customer):   day 20 /blog, identifies; day 49 /pricing and a form submit at 10:01
//   i1 (Initech, customer): day 56 campaign summer (linkedin/paid_social) /webinar, identifies
// Deals (USD): A-1 Acme 12,000 won, created day 52, closed day 60 12:00; G-1 Globex 5,000 won, created
// day 55, closed day 65; H-1 Hooli 3,000 won, created day 30, closed day 50 10:00.
// Spend (the test's CSV): spring day 45 1,000 (400 clicks) and day 46 500 (200 clicks); summer day 55 800.
//
// Worked out (first touch):
//   spring: A-1 first touched by it → pipeline and revenue 12,000, ROAS 12,000 / 1,500 = 8; engaged
//     target accounts Acme and Globex (2), newly engaged Acme only (Globex visited on day 10, 37 days
//     before day 47): 1; per engaged account 1,500 / 2 = 750.
//   summer: no target account, no revenue → ROAS 0. Totals 2,300 spent, 12,000 revenue → 5.22×.
//   Content: /landing influenced A-1 and G-1 (17,000), /pricing A-1 and H-1 (15,000), /case-study and
//     /features A-1 (12,000), / G-1 (5,000), /blog H-1 (3,000); /careers (after A-1's close) and /docs none.
//   A-1's journey: first touch day 45, closed day 60 12:00 → 15.1 days; 3 sessions; 1 person; page
//     views /landing, /features, /pricing, /case-study. H-1's: 30 days, 2 sessions, 1 person, the form.

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const DAY = 86_400_000;
const today = new Date();
const BASE = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 70 * DAY;
const at = (day: number, minute = 0) => new Date(BASE + day * DAY + (600 + minute) * 60_000).toISOString();
export const dayOf = (day: number) => new Date(BASE + day * DAY).toISOString().slice(0, 10);
const SPRING = "utm_source=google&utm_medium=cpc&utm_campaign=spring";
const SUMMER = "utm_source=linkedin&utm_medium=paid_social&utm_campaign=summer";

let n = 0;
const id = () => `mkt-${++n}-${Math.random().toString(36).slice(2)}`;
const context = { userAgent: CHROME };
const page = (anon: string, when: string, url: string, referrer?: string) => ({
  type: "page", messageId: id(), anonymousId: anon, timestamp: when, properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) }, context,
});
const identify = (anon: string, when: string, email: string) => ({ type: "identify", messageId: id(), anonymousId: anon, timestamp: when, traits: { email }, context });

export const EVENTS = [
  page("g1", at(10), "/"),
  identify("g1", at(10, 1), "bob@globex.com"),
  page("g1", at(47), `/landing?${SPRING}`),
  page("a1", at(45), `/landing?${SPRING}`),
  page("a1", at(45, 2), "/features"),
  page("a1", at(50), "/pricing", "https://www.google.com/"),
  identify("a1", at(50, 1), "alice@acme.com"),
  page("a1", at(60, 110), "/case-study"),
  page("a1", at(60, 130), "/careers"),
  page("a1", at(62), "/docs"),
  page("h1", at(20), "/blog"),
  identify("h1", at(20, 1), "carol@hooli.com"),
  page("h1", at(49), "/pricing"),
  { type: "track", event: "form_submit", messageId: id(), anonymousId: "h1", timestamp: at(49, 1), properties: { form: "demo-request", fields: ["email"] }, context },
  page("i1", at(56), `/webinar?${SUMMER}`),
  identify("i1", at(56, 1), "dan@initech.com"),
];

/** The spend CSV the test imports with `foothold import spend`; its last row is refused (no channel to classify). */
export const SPEND_CSV = [
  "date,channel,source,medium,campaign,amount,currency,clicks,impressions",
  `${dayOf(45)},,google,cpc,spring,1000,USD,400,9000`,
  `${dayOf(46)},Paid Search,google,cpc,spring,500.00,USD,200,4000`,
  `${dayOf(55)},paid social,linkedin,paid_social,summer,800,USD,100,2500`,
  `${dayOf(56)},,,,summer,50,USD,5,100`,
].join("\n");

async function ok(r: Response, what: string): Promise<unknown> {
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Seeds the scenario (without spend); answers a read-only API key once every visit is resolved. */
export async function seedMarketing(collector: Collector): Promise<{ readKey: string }> {
  const json = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await ok(await collector.api("/v1/accounts", json([
    { domain: "acme.com", name: "Acme", segment: "target" },
    { domain: "globex.com", name: "Globex", segment: "target" },
    { domain: "hooli.com", name: "Hooli", segment: "customer" },
    { domain: "initech.com", name: "Initech", segment: "customer" },
  ])), "import accounts");
  const site = await collector.createSite("Marketing site", ["example.com"]);
  await ok(await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${site.write_key}:`)}`, "user-agent": CHROME },
    body: JSON.stringify({ batch: EVENTS }),
  }), "batch");
  await ok(await collector.api("/v1/deals", json([
    { id: "A-1", account: "acme.com", amount: 12_000, currency: "USD", stage: "closed_won", created_at: dayOf(52), closed_at: at(60, 120), won: true },
    { id: "G-1", account: "globex.com", amount: 5_000, currency: "USD", stage: "closed_won", created_at: dayOf(55), closed_at: dayOf(65), won: true },
    { id: "H-1", account: "hooli.com", amount: 3_000, currency: "USD", stage: "closed_won", created_at: dayOf(30), closed_at: at(50), won: true },
  ])), "import deals");
  const key = (await ok(await collector.api("/v1/keys", { method: "POST", body: JSON.stringify({ name: "dashboard", scopes: ["read"] }), headers: { "content-type": "application/json" } }), "key")) as { key: string };
  await collector.exportEvents({ expect: EVENTS.length, timeoutMs: 60_000 });
  return { readKey: key.key };
}
