import type { Collector } from "./harness";

// The scenario the dashboard and CLI tests read, sent through the public API only: accounts and
// deals imported, visits through the Segment endpoint (/v1/batch), resolved by identify.
// Days count back from today (UTC); page views at 10:00 of their day, identify and forms a minute later.
//   a1 (Acme):  day −20 Paid Search (google/cpc) /blog; day −10 Organic Search (google referrer)
//               /pricing, /demo; identifies alice@acme.com
//   a2 (Acme):  day −3 Email (newsletter/email) /, submits a form, identifies bob@acme.com;
//               day −1 Direct /pricing, /docs, /pricing
//   g1 (Globex): day −5 Organic Search /; identifies carol@globex.com
//   i1 (Initech): day −2 Direct /about; identifies dan@initech.com
// Deals: Acme 12,000 USD won, closed day −1 at 00:00 (so a2's day −1 visit is after it);
// Globex 3,000 USD won, closed day −2.
//
// Acme's score as of today, half-life 14 days (page 1, /pricing and /demo 3, form submit 10):
//   day −20: 1·2^(−20/14) = 0.3715      day −10: (3+3)·2^(−10/14) = 6·0.6095 = 3.6570
//   day −3: (1 + 10)·2^(−3/14) = 11·0.8620 = 9.4817      day −1: (3+1+3)·2^(−1/14) = 7·0.9517 = 6.6619
//   total 20.1721 → the dashboard shows "20.2"; 4 sessions, 7 page views, 2 visitors, 2 people, 1 form submit.
// Surging: this week (days −6..0) weighs 11 + 7 = 18 over 5 events (2 on day −3, 3 on day −1); the
//   three weeks before weigh 6, 1, 0, mean 2.33; 18 ≥ 2 × 2.33 and 5 ≥ 5 → surging.
// Revenue per visitor by channel (90 days): visitors per channel are Paid Search 1 (a1),
// Organic Search 2 (a1, g1), Email 1 (a2), Direct 2 (a2, i1). Acme's deal sees S1 Paid, S2 Organic, S3 Email.
//   linear:      Paid 12,000/3 = 4,000 → $4,000/visitor; Organic (4,000 + 3,000)/2 = $3,500; Email $4,000
//   first_touch: Paid 12,000 → $12,000/visitor; Organic 3,000/2 = $1,500; Email $0

export const SCORE_TEXT = "20.2";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const DAY = 86_400_000;
const today = new Date();
const MIDNIGHT = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
const at = (daysAgo: number, minute = 0) => new Date(MIDNIGHT - daysAgo * DAY + (600 + minute) * 60_000).toISOString();
export const dayAgo = (daysAgo: number) => new Date(MIDNIGHT - daysAgo * DAY).toISOString().slice(0, 10);

let n = 0;
const id = () => `dash-${++n}-${Math.random().toString(36).slice(2)}`;
const page = (anon: string, daysAgo: number, url: string, referrer?: string, minute = 0) => ({
  type: "page", messageId: id(), anonymousId: anon, timestamp: at(daysAgo, minute),
  properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) },
  context: { userAgent: CHROME },
});
const identify = (anon: string, daysAgo: number, email: string) => ({ type: "identify", messageId: id(), anonymousId: anon, timestamp: at(daysAgo, 1), traits: { email }, context: { userAgent: CHROME } });
const formSubmit = (anon: string, daysAgo: number) => ({ type: "track", event: "form_submit", messageId: id(), anonymousId: anon, timestamp: at(daysAgo, 1), properties: { form: "demo-request", fields: ["email"] }, context: { userAgent: CHROME } });

export const EVENTS = [
  page("a1", 20, "/blog?utm_source=google&utm_medium=cpc&utm_campaign=brand"),
  page("a1", 10, "/pricing", "https://www.google.com/"),
  page("a1", 10, "/demo", "https://example.com/pricing"),
  identify("a1", 10, "alice@acme.com"),
  page("a2", 3, "/?utm_source=newsletter&utm_medium=email&utm_campaign=march"),
  formSubmit("a2", 3),
  identify("a2", 3, "bob@acme.com"),
  page("a2", 1, "/pricing"),
  page("a2", 1, "/docs", undefined, 2),
  page("a2", 1, "/pricing?plan=team", undefined, 4),
  page("g1", 5, "/", "https://www.google.com/"),
  identify("g1", 5, "carol@globex.com"),
  page("i1", 2, "/about"),
  identify("i1", 2, "dan@initech.com"),
];

async function ok(r: Response, what: string): Promise<unknown> {
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Seeds the scenario; answers a read-only API key, once the pipeline has resolved every visit. */
export async function seedScenario(collector: Collector): Promise<{ readKey: string; writeKey: string }> {
  const json = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await ok(await collector.api("/v1/accounts", json([
    { domain: "acme.com", name: "Acme", crm_id: "CRM-1", segment: "target" },
    { domain: "globex.com", name: "Globex", crm_id: "CRM-2", segment: "target" },
    { domain: "initech.com", name: "Initech", segment: "customer" },
    { domain: "hooli.com", name: "Hooli", segment: "target" },
  ])), "import accounts");
  const site = await collector.createSite("Marketing site", ["example.com"]);
  const batch = await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${site.write_key}:`)}`, "user-agent": CHROME },
    body: JSON.stringify({ batch: EVENTS }),
  });
  await ok(batch, "batch");
  await ok(await collector.api("/v1/deals", json([
    { id: "D-1", account: "acme.com", amount: 12_000, currency: "USD", stage: "closed_won", created_at: dayAgo(8), closed_at: dayAgo(1), won: true },
    { id: "D-2", account: "globex.com", amount: 3_000, currency: "USD", stage: "closed_won", created_at: dayAgo(6), closed_at: dayAgo(2), won: true },
  ])), "import deals");
  const key = (await ok(await collector.api("/v1/keys", { method: "POST", body: JSON.stringify({ name: "dashboard", scopes: ["read"] }), headers: { "content-type": "application/json" } }), "key")) as { key: string };

  // The queue consumer resolves visits asynchronously: wait until Acme shows all four sessions.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = (await ok(await collector.api("/v1/accounts?limit=10"), "accounts")) as { accounts: Array<{ domain: string; sessions: number }> };
    const done = page.accounts.find((a) => a.domain === "acme.com")?.sessions === 4 && page.accounts.some((a) => a.domain === "initech.com");
    if (done) break;
    if (Date.now() > deadline) throw new Error(`scenario not processed in time: ${JSON.stringify(page)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { readKey: key.key, writeKey: site.write_key };
}
