// Redaction's cost per event (SPEC §13, issue 11), beside the same run's whole enrichment
// (buildEvent: validate's output → the queued row, redaction included) as the baseline.
// Pure computation in Node on the Worker's code; HMAC through WebCrypto as in workerd.
// Run: npm run bench -- redaction
import { importCollector, median, prng, recordResult } from "./lib.mjs";

const EVENTS = 20_000;
const RUNS = 7;

const { buildEvent, redactEvent, withEmailHashes, hashEmail } = await importCollector("bench/redaction-entry.ts");

const random = prng(20261201);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const site = { id: "site_b", name: "Bench", domains: ["example.com"], write_key: "wk_", created_at: "2026-01-01T00:00:00.000Z" };
const facts = { receivedAt: Date.parse("2026-12-01T12:00:00Z"), origin: "browser", cf: { asn: 7922, asOrganization: "Comcast", country: "US" }, userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", channelRules: [], hashSecret: "bench-secret" };
const PATHS = ["/", "/pricing", "/docs/getting-started", "/blog/attribution-models", "/demo", "/customers/acme"];

/** Ordinary traffic (what the tracker and SDKs send most), and one event in ten that leaks. */
function event(i, leaky) {
  const url = `https://example.com${pick(PATHS)}${random() < 0.3 ? "?utm_source=google&utm_medium=cpc&utm_campaign=q4&gclid=abc123" : ""}`;
  const base = { messageId: `m-${i}`, anonymousId: `v-${i % 500}`, userId: null, groupId: null, previousId: null, timestamp: "2026-12-01T11:59:00.000Z", traits: {} };
  const context = { page: { url: leaky ? `${url}${url.includes("?") ? "&" : "?"}email=jane%40acme.com&token=t0k3n#access_token=x` : url, referrer: "https://www.google.com/", title: leaky ? "Welcome jane@acme.com" : "Pricing — Example" }, library: { name: "foothold" } };
  const kind = i % 10;
  if (kind < 6) return { ...base, type: "page", event: null, properties: {}, context };
  if (kind < 8) return { ...base, type: "track", event: "engagement", properties: { engaged_ms: 12_000, scroll_pct: 80 }, context };
  if (kind < 9) return { ...base, type: "track", event: "form_submit", properties: leaky ? { form: "signup", fields: ["email", "password"], password: "hunter2", user: { email: "jane@acme.com" } } : { form: "demo", fields: ["email", "company"] }, context };
  return { ...base, type: "identify", event: null, userId: leaky ? "jane@acme.com" : `u-${i}`, properties: {}, traits: { email: `p${i % 300}@acme.com`, plan: "pro" }, context };
}

/** µs per event of each measured function, runs interleaved so drift and GC hit both alike. */
async function measure(events, fns) {
  const times = fns.map(() => []);
  for (let r = 0; r < RUNS; r++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now();
      for (const e of events) await fn(e);
      times[k].push(((performance.now() - start) * 1000) / events.length);
    }
  }
  return times.map(median);
}

for (const [name, share] of [["ordinary traffic", 0], ["one event in ten leaking", 0.1]]) {
  const events = Array.from({ length: EVENTS }, (_, i) => event(i, random() < share));
  const hash = (e) => hashEmail(e, facts.hashSecret);
  // What buildEvent redacts: the event less the identifying email, which it hashes on its own.
  const redactOnly = (e) => {
    const { email: _identity, ...traits } = e.traits;
    return withEmailHashes((h) => redactEvent({ ...e, traits }, h), hash);
  };
  const build = (e) => buildEvent(e, site, facts);
  await measure(events.slice(0, 2_000), [build, redactOnly]); // JIT warm-up
  const [whole, redaction] = await measure(events, [build, redactOnly]);
  console.log(`${name}: ${EVENTS.toLocaleString("en")} events, median of ${RUNS} interleaved runs (node ${process.version})`);
  console.log(`  enrichment, redaction included (buildEvent): ${whole.toFixed(2)} µs/event`);
  console.log(`  redaction alone (withEmailHashes + redactEvent): ${redaction.toFixed(2)} µs/event`);
  console.log(`  enrichment without redaction ≈ ${(whole - redaction).toFixed(2)} µs/event; redaction adds ${((100 * redaction) / Math.max(whole - redaction, 1e-9)).toFixed(0)}% to it`);
  recordResult({ name: `redaction: µs per event, ${name}`, figure: redaction, unit: "µs", baseline: whole, baseline_name: "the whole enrichment (buildEvent) of the same events" });
}
