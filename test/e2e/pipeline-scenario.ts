import type { Collector } from "./harness";

// The scenario the Pipeline and Funnel pages are tested on (test/e2e/dashboard-pipeline.test.ts),
// sent through the public API only. Days count back from today (UTC); pages at 10:00, identify a
// minute later; deals created/closed at midnight.
//   a1 (Acme):   day −40 Paid Search (google/cpc) /pricing; day −20 Organic Search (google) /blog, identifies alice@acme.com
//   g1 (Globex): day −15 Email (newsletter) /; day −12 Direct /pricing, identifies carol@globex.com
//   p1:          day −5 Direct /, identifies pat@gmail.com (personal mail: a lead at no account)
//   v1:          day −3 Direct /, never identified
// Deals: A-1 Acme 20,000 created day −10, won day −2; A-2 Acme 5,000 created day −4, open;
//        G-1 Globex 8,000 created day −8, open.
//
// Pipeline, 90 days, first touch (each deal's account's first session before the deal was created):
//   A-1, A-2 → a1's day −40 Paid Search: 2 deals, $25,000, 1 won, $20,000; G-1 → g1's Email: 1, $8,000.
// Linear: A-1 and A-2 over a1's two sessions (½ each), G-1 over g1's two:
//   Paid Search and Organic Search 1 deal, $12,500, 0.50 won, $10,000 each; Email and Direct 0.50, $4,000.
// Funnel, 90 days: 4 visitors; 3 leads (75.0%); 3 opportunities (100.0%); 1 customer, Acme (33.3%).
//   Median days: leads alice 20.0007, carol 3.0007 (g1 first seen day −15), pat 0.0007 → 3.0;
//   opportunities Acme (alice day −20 10:01 → A-1 day −10) 9.58, Globex (carol day −12 10:01 → day −8) 3.58 → 6.6;
//   customers Acme (A-1 created day −10 → won day −2) 8.0.
//   By first-touch channel: Direct 2 visitors, 1 lead (pat); Paid Search 1, 1 (alice), 2 deals, 1 customer;
//   Email 1, 1 (carol), 1 deal.
// Measured over 365 days the same: rates 75%, 100%, 33.3%.

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const DAY = 86_400_000;
const today = new Date();
const MIDNIGHT = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
const at = (daysAgo: number, minute = 0) => new Date(MIDNIGHT - daysAgo * DAY + (600 + minute) * 60_000).toISOString();
export const dayAgo = (daysAgo: number) => new Date(MIDNIGHT - daysAgo * DAY).toISOString().slice(0, 10);

let n = 0;
const id = () => `pipe-${++n}-${Math.random().toString(36).slice(2)}`;
const page = (anon: string, daysAgo: number, url: string, referrer?: string) => ({
  type: "page", messageId: id(), anonymousId: anon, timestamp: at(daysAgo),
  properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) }, context: { userAgent: CHROME },
});
const identify = (anon: string, daysAgo: number, email: string) => ({ type: "identify", messageId: id(), anonymousId: anon, timestamp: at(daysAgo, 1), traits: { email }, context: { userAgent: CHROME } });

const EVENTS = [
  page("a1", 40, "/pricing?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
  page("a1", 20, "/blog", "https://www.google.com/"),
  identify("a1", 20, "alice@acme.com"),
  page("g1", 15, "/?utm_source=newsletter&utm_medium=email&utm_campaign=may"),
  page("g1", 12, "/pricing"),
  identify("g1", 12, "carol@globex.com"),
  page("p1", 5, "/"),
  identify("p1", 5, "pat@gmail.com"),
  page("v1", 3, "/"),
];

async function ok(r: Response, what: string): Promise<unknown> {
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Seeds the scenario; answers a read-only API key once the pipeline has stored every event. */
export async function seedPipelineScenario(collector: Collector): Promise<{ readKey: string }> {
  const put = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await ok(await collector.api("/v1/accounts", put([{ domain: "acme.com", name: "Acme", segment: "target" }, { domain: "globex.com", name: "Globex", segment: "target" }])), "import accounts");
  const site = await collector.createSite("Marketing site", ["example.com"]);
  await ok(await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${site.write_key}:`)}`, "user-agent": CHROME },
    body: JSON.stringify({ batch: EVENTS }),
  }), "batch");
  await ok(await collector.api("/v1/deals", put([
    { id: "A-1", account: "acme.com", amount: 20_000, currency: "USD", stage: "closed_won", created_at: dayAgo(10), closed_at: dayAgo(2), won: true },
    { id: "A-2", account: "acme.com", amount: 5_000, currency: "USD", stage: "proposal", created_at: dayAgo(4), won: false },
    { id: "G-1", account: "globex.com", amount: 8_000, currency: "USD", stage: "discovery", created_at: dayAgo(8), won: false },
  ])), "import deals");
  const key = (await ok(await collector.api("/v1/keys", { method: "POST", body: JSON.stringify({ name: "dashboard", scopes: ["read"] }), headers: { "content-type": "application/json" } }), "key")) as { key: string };
  const stored = await collector.exportEvents({ expect: EVENTS.length, timeoutMs: 60_000 });
  if (stored.length < EVENTS.length) throw new Error(`only ${stored.length} of ${EVENTS.length} events stored`);
  return { readKey: key.key };
}
