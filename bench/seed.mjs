// Seeding through the real pipeline: events posted to `/v1/batch` on `wrangler dev`, through the
// local queue and the queue consumer, waited for until the consumer has committed them. Shared by
// the benches whose data must be what the consumer writes (accounts, revenue, parquet).
import { fetchRetry, sleep } from "./lib.mjs";

export const ADMIN = { authorization: "Bearer bench", "content-type": "application/json" };

/** Calls a management route of the collector at `base` and answers its JSON (throws on a non-2xx). */
export async function api(base, pathname, init = {}) {
  const r = await fetchRetry(`${base}${pathname}`, { ...init, headers: { ...ADMIN, ...init.headers } });
  const text = await r.text();
  if (!r.ok) throw new Error(`${init.method ?? "GET"} ${pathname}: ${r.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Posts every event of `visits` (an iterable of event arrays) to /v1/batch in requests of about
 * `perRequest` events, `parallel` requests at a time; answers how many events were accepted.
 */
export async function postEvents(base, writeKey, visits, { perRequest = 500, parallel = 2 } = {}) {
  const auth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`, "content-type": "application/json" };
  let sent = 0;
  let batch = [];
  const inFlight = new Set();
  const post = async (events) => {
    const r = await fetchRetry(`${base}/v1/batch`, { method: "POST", headers: auth, body: JSON.stringify({ batch: events }) });
    const body = await r.text();
    if (r.status !== 200 || body.includes('"rejected"')) throw new Error(`/v1/batch: ${r.status} ${body.slice(0, 500)}`);
    sent += events.length;
  };
  const flush = async () => {
    if (!batch.length) return;
    const p = post(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    batch = [];
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  };
  for (const visit of visits) {
    batch.push(...visit);
    if (batch.length >= perRequest) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  return sent;
}

/**
 * Waits until the consumer has committed `n` events received in the last day: `GET /v1/status`
 * `last_24h.events` counts the rows of the archive ledger, which the consumer writes in the same
 * transaction as everything else an event changes. `onProgress` hears the count now and then.
 */
export async function waitForStored(base, n, { timeoutMs = 3_600_000, onProgress } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (let i = 0; ; i++) {
    const { last_24h } = await api(base, "/v1/status");
    if (last_24h.events >= n) return last_24h.events;
    if (Date.now() > deadline) throw new Error(`only ${last_24h.events} of ${n} events stored after ${timeoutMs / 1000} s`);
    if (onProgress && last_24h.events !== last && i % 20 === 0) onProgress(last_24h.events);
    last = last_24h.events;
    await sleep(500);
  }
}
