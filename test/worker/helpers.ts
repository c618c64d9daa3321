import { exports } from "cloudflare:workers";

// Drives the real Worker (routes, queue consumer, D1 with the real migrations) inside workerd.

export const ADMIN = "test-admin-token";
export const BASE = "https://collector.test";

export function call(path: string, init: RequestInit & { token?: string | null; cf?: Record<string, unknown> } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${init.token ?? ADMIN}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  const { token: _t, cf, ...rest } = init;
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...rest, headers, ...(cf ? { cf } : {}) }));
}

export async function createSite(domains = ["example.com"], name = "Marketing site"): Promise<{ id: string; write_key: string }> {
  const r = await call("/v1/sites", { method: "POST", body: JSON.stringify({ name, domains }) });
  if (r.status !== 201) throw new Error(`createSite ${r.status}: ${await r.text()}`);
  return r.json();
}

export const basic = (writeKey: string) => `Basic ${btoa(`${writeKey}:`)}`;

/** Every stored event through the export API. */
export async function exportAll(): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  let cursor = "0";
  for (;;) {
    const r = await call(`/v1/export/events?since=${cursor}&limit=10000`);
    // Decoded by hand: workerd warns on .text() of a content type it doesn't know as text.
    const lines = new TextDecoder().decode(await r.arrayBuffer()).split("\n").filter(Boolean);
    rows.push(...lines.map((l) => JSON.parse(l) as Record<string, unknown>));
    const next = r.headers.get("x-next-cursor")!;
    if (!lines.length || next === cursor) return rows;
    cursor = next;
  }
}

/**
 * Waits until the queue consumer has stored `n` events of the site (the queue delivers within
 * ~1 s locally). Storage is per test file, so other tests' events are filtered out by site.
 */
export async function waitForEvents(siteId: string, n: number, timeoutMs = 15_000): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await exportAll()).filter((e) => e.site_id === siteId);
    if (rows.length >= n || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Every stored event of the site once the consumer has handled everything answered so far: posts
 * one marker event and waits until it is stored. The local queue hands messages to its consumer
 * in the order they were sent, so every event answered before the marker has then been stored or
 * dropped as a copy. The marker is left out of the answer.
 */
export async function settledEvents(site: { id: string; write_key: string }, timeoutMs = 15_000): Promise<Array<Record<string, unknown>>> {
  const messageId = `marker-${crypto.randomUUID()}`;
  const r = await call("/v1/track", {
    method: "POST", token: null, headers: { authorization: basic(site.write_key) },
    body: JSON.stringify({ type: "track", event: "marker", messageId, anonymousId: "test-marker" }),
  });
  if (r.status !== 200) throw new Error(`marker: ${r.status} ${await r.text()}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await exportAll()).filter((e) => e.site_id === site.id);
    if (rows.some((e) => e.message_id === messageId)) return rows.filter((e) => e.message_id !== messageId);
    if (Date.now() > deadline) throw new Error(`the consumer did not store the marker within ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
