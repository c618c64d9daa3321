import { Analytics } from "@segment/analytics-node";
import RudderAnalytics from "@rudderstack/rudder-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "./harness";

// The real @segment/analytics-node and @rudderstack/rudder-sdk-node clients, pointed at the
// collector running in wrangler dev.

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector?.stop();
});

function client(writeKey: string) {
  return new Analytics({ writeKey, host: collector.url, flushAt: 50, flushInterval: 200, maxRetries: 3 });
}

async function sendAll(writeKey: string, n: number, ids: string[]) {
  const analytics = client(writeKey);
  for (let i = 0; i < n; i++) {
    const messageId = ids[i];
    const who = { anonymousId: `anon-${i % 40}` };
    switch (i % 4) {
      case 0:
        analytics.track({ ...who, messageId, event: "Report Exported", properties: { i, format: "csv" } });
        break;
      case 1:
        analytics.page({ ...who, messageId, name: "Pricing", properties: { url: `https://example.com/pricing?i=${i}`, path: "/pricing" } });
        break;
      case 2:
        analytics.identify({ ...who, messageId, userId: `user-${i % 40}`, traits: { email: `person${i % 40}@acme.co.uk`, plan: "pro" } });
        break;
      default:
        analytics.group({ ...who, messageId, groupId: "acme.co.uk", traits: { name: "Acme" } });
    }
  }
  await analytics.closeAndFlush({ timeout: 30_000 });
}

describe("Segment SDK compatibility", () => {
  it("stores a few hundred calls exactly once, and a re-send of the same messages adds nothing", async () => {
    const site = await collector.createSite("Backend", ["example.com"]);
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `seg-${i}-${crypto.randomUUID()}`);
    await sendAll(site.write_key, n, ids);

    const rows = await collector.exportEvents({ expect: n, timeoutMs: 60_000 });
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(ids));
    const byType = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.type as string]: (acc[r.type as string] ?? 0) + 1 }), {});
    expect(byType).toEqual({ track: 75, page: 75, identify: 75, group: 75 });

    const identify = rows.find((r) => r.type === "identify")!;
    // Emails are kept hashed (SPEC §8): the address is nowhere in the stored row.
    expect(JSON.stringify(identify)).not.toContain("@acme.co.uk");
    expect(identify.email_domain).toBe("acme.co.uk");
    expect(identify.email_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(identify.traits as string)).toEqual({ plan: "pro" });
    expect(rows.find((r) => r.type === "group")).toMatchObject({ group_id: "acme.co.uk" });
    expect(rows.find((r) => r.type === "page")).toMatchObject({ event: "Pricing", path: "/pricing" });

    // The SDK retrying (or a replay of the same messages) is counted once: once the consumer has
    // handled every re-sent message, the count has not moved.
    await sendAll(site.write_key, n, ids);
    const after = await collector.settled();
    expect(after).toHaveLength(n);
  });

  it("keeps stored events across a collector restart, and still dedupes re-sends after it", async () => {
    const site = await collector.createSite("Restart", ["example.com"]);
    const before = (await collector.settled()).length;
    const ids = Array.from({ length: 20 }, (_, i) => `restart-${i}-${crypto.randomUUID()}`);
    await sendAll(site.write_key, 20, ids);
    // Local queues (wrangler dev) live in memory, unlike Cloudflare Queues, which persist: what
    // survives a local restart is what the consumer stored, so restart once it has stored them.
    await collector.exportEvents({ expect: before + 20, timeoutMs: 30_000 });
    await collector.restart();
    await sendAll(site.write_key, 20, ids);
    const rows = await collector.settled();
    expect(rows).toHaveLength(before + 20);
    expect(rows.filter((r) => ids.includes(r.message_id as string))).toHaveLength(20);
  });
});

describe("RudderStack Node SDK compatibility", () => {
  it("stores a few hundred calls sent with its defaults (gzip bodies) exactly once", async () => {
    const site = await collector.createSite("Rudder backend", ["example.com"]);
    const before = (await collector.settled()).length;
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `rudder-${i}-${crypto.randomUUID()}`);
    // Its defaults but the log level: gzip on, flushAt 20, three retries.
    const rudder = new RudderAnalytics(site.write_key, { dataPlaneUrl: collector.url, logLevel: "error" });
    // Watched, not changed: every request it sends says how its body is encoded.
    const encodings = new Set<string>();
    (rudder as unknown as { axiosInstance: { interceptors: { request: { use(f: (c: { headers: Record<string, string> }) => unknown): void } } } }).axiosInstance.interceptors.request.use((config) => {
      encodings.add(String(config.headers["Content-Encoding"] ?? "none"));
      return config;
    });
    const delivered = ids.map(
      (messageId, i) =>
        new Promise<void>((resolve, reject) => {
          const done = (err?: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve());
          // messageId is honoured by the SDK though its types leave it out.
          const who = { anonymousId: `r-anon-${i % 30}`, messageId };
          if (i % 4 === 0) rudder.track({ ...who, event: "Report Exported", properties: { i } } as Parameters<typeof rudder.track>[0], done);
          else if (i % 4 === 1) rudder.page({ ...who, name: "Docs", properties: { url: `https://example.com/docs?i=${i}` } } as Parameters<typeof rudder.page>[0], done);
          else if (i % 4 === 2) rudder.identify({ ...who, userId: `r-user-${i % 30}`, traits: { email: `dev${i % 30}@initech.io` } } as Parameters<typeof rudder.identify>[0], done);
          else rudder.group({ ...who, groupId: "initech.io", traits: { name: "Initech" } } as Parameters<typeof rudder.group>[0], done);
        }),
    );
    const flushing = setInterval(() => void rudder.flush().catch(() => {}), 200);
    try {
      await Promise.all(delivered);
    } finally {
      clearInterval(flushing);
    }
    expect(encodings).toEqual(new Set(["gzip"]));

    const rows = (await collector.exportEvents({ expect: before + n, timeoutMs: 60_000 })).filter((r) => r.site_id === site.id);
    // The SDK's own retries (if any) handled too: nothing counted twice.
    const after = (await collector.settled()).filter((r) => r.site_id === site.id);
    expect(after).toHaveLength(n);
    expect(new Set(after.map((r) => r.message_id))).toEqual(new Set(ids));
    expect(rows.find((r) => r.type === "identify")).toMatchObject({ email_domain: "initech.io" });
  });
});
