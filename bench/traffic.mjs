// Realistic B2B site traffic as Segment batches, shared by the storage benchmarks (d1-growth,
// soak): visitors come back over weeks, view several pages per session, report engaged time per
// page (as the snippet does), start and submit forms and identify with a business email. Seeded,
// so every run sends exactly the same events.
import { prng } from "./lib.mjs";

const PATHS = ["/", "/pricing", "/product", "/product/integrations", "/blog/b2b-attribution", "/blog/account-scoring", "/docs/getting-started", "/docs/api", "/customers", "/about", "/demo", "/contact"];
const REFERRERS = ["https://www.google.com/", "https://www.linkedin.com/", "", "", "https://news.ycombinator.com/"];
const CAMPAIGNS = [null, null, null, "?utm_source=linkedin&utm_medium=paid_social&utm_campaign=q4-abm", "?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0KCQ"];
const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const COMPANIES = 200;

/**
 * Yields arrays of Segment events (one visitor's visit at a time, in time order), `visitors` visitors
 * over the 30 days before `now`, numbered from `first`. About 20 events per visitor: 1–3 sessions of 2–6 page views with
 * an engagement report each, and for one visitor in five a form start, submit and identify.
 */
export function* trafficBatches({ visitors, now = Date.now(), seed = 42, first = 0 }) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
  // Message ids as clients make them: a UUID per event (analytics.js, the Segment SDKs, the snippet).
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  let n = 0;
  for (let v = first; v < first + visitors; v++) {
    const anon = `00000000-0000-4000-8000-${String(v).padStart(12, "0")}`;
    const company = `company${Math.floor(rand() * COMPANIES)}.com`;
    const sessions = 1 + Math.floor(rand() * 3);
    let t = now - 30 * 86_400_000 + Math.floor(rand() * 20 * 86_400_000);
    const identifies = rand() < 0.2;
    for (let s = 0; s < sessions; s++) {
      const events = [];
      const campaign = pick(CAMPAIGNS);
      const pages = 2 + Math.floor(rand() * 5);
      let referrer = pick(REFERRERS);
      for (let p = 0; p < pages; p++) {
        const path = p === 0 ? pick(PATHS.slice(0, 5)) : pick(PATHS);
        const url = `https://www.example.com${path}${p === 0 && campaign ? campaign : ""}`;
        const context = { page: { url, path, referrer, title: `Example — ${path}` }, userAgent: UA, ip: "203.0.113.7" };
        events.push({ type: "page", messageId: (n++, uuid()), anonymousId: anon, timestamp: new Date(t).toISOString(), properties: { url, path, referrer, title: context.page.title }, context });
        t += 20_000 + Math.floor(rand() * 90_000);
        events.push({ type: "track", event: "engagement", messageId: (n++, uuid()), anonymousId: anon, timestamp: new Date(t).toISOString(), properties: { engaged_ms: Math.floor(rand() * 60_000), scroll: Math.floor(rand() * 100) }, context });
        referrer = url;
        if (identifies && s === sessions - 1 && p === pages - 1) {
          const form = { form: "demo-request", fields: ["email", "company", "name"] };
          events.push({ type: "track", event: "form_start", messageId: (n++, uuid()), anonymousId: anon, timestamp: new Date(t + 5_000).toISOString(), properties: form, context });
          events.push({ type: "track", event: "form_submit", messageId: (n++, uuid()), anonymousId: anon, timestamp: new Date(t + 60_000).toISOString(), properties: form, context });
          events.push({ type: "identify", messageId: (n++, uuid()), anonymousId: anon, timestamp: new Date(t + 60_001).toISOString(), traits: { email: `person${v}@${company}` }, context });
        }
      }
      yield events;
      // The next visit: a few days later.
      t += 86_400_000 * (1 + Math.floor(rand() * 6));
      if (t > now) break;
    }
  }
}
