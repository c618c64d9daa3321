import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../collector/http/app";
import { basic, call, createSite, settledEvents, waitForEvents } from "./helpers";

// The ingest edge as clients meet it: compressed bodies, analytics.js's short paths and
// preflights, IDN site domains, write keys, and a deployment without its HASH_SECRET.

const now = () => new Date().toISOString();
const track = (id: string, extra: Record<string, unknown> = {}) => ({ type: "track", event: "Clicked", messageId: id, anonymousId: "a-1", timestamp: now(), ...extra });

async function compress(format: "gzip" | "deflate", text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** `mb` megabytes of the same JSON padding, gzipped as it streams (never held whole). */
async function gzipBomb(mb: number): Promise<Uint8Array> {
  const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
  let sent = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < mb) controller.enqueue(chunk);
      else controller.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

describe("compressed request bodies", () => {
  it("takes gzip and deflate bodies on every ingest path, counted once", async () => {
    const site = await createSite();
    const auth = { authorization: basic(site.write_key) };
    const batch = JSON.stringify({ batch: [track("gz-1"), track("gz-2")] });
    const r1 = await call("/v1/batch", { method: "POST", token: null, headers: { ...auth, "content-encoding": "gzip" }, body: await compress("gzip", batch) });
    expect(r1.status).toBe(200);
    const r2 = await call("/v1/track", { method: "POST", token: null, headers: { ...auth, "content-encoding": "deflate" }, body: await compress("deflate", JSON.stringify(track("df-1"))) });
    expect(r2.status).toBe(200);
    const tracker = JSON.stringify({ k: site.write_key, a: "v-1", e: [{ i: "e-1", t: "page", ts: Date.now(), u: "https://example.com/" }] });
    const r3 = await call("/e", { method: "POST", token: null, headers: { "content-type": "text/plain", "content-encoding": "gzip" }, body: await compress("gzip", tracker) });
    expect(r3.status).toBe(202);
    const b = JSON.stringify({ writeKey: site.write_key, batch: [track("gz-2"), track("gz-3")] });
    const r4 = await call("/v1/b", { method: "POST", token: null, headers: { "content-type": "text/plain", "content-encoding": "gzip" }, body: await compress("gzip", b) });
    expect(r4.status).toBe(200);
    // A body a proxy already inflated, its header left in place, is taken as it is.
    const r5 = await call("/v1/track", { method: "POST", token: null, headers: { ...auth, "content-encoding": "gzip" }, body: JSON.stringify(track("plain-1")) });
    expect(r5.status).toBe(200);

    const rows = await waitForEvents(site.id, 6);
    expect(rows.map((r) => r.message_id).sort()).toEqual(["df-1", "e-1", "gz-1", "gz-2", "gz-3", "plain-1"]);
  });

  it("refuses a gzip bomb with 413, and bytes that are not what the header says with 400", async () => {
    const site = await createSite();
    const auth = { authorization: basic(site.write_key) };
    // 200 MB of padding inflated whole would not fit the isolate; it is stopped past 500 KB.
    const bomb = await gzipBomb(200);
    expect(bomb.byteLength).toBeLessThan(500 * 1024);
    const corrupt = await compress("gzip", JSON.stringify({ batch: [track("c-1", { properties: { pad: "x".repeat(4_000) } })] }));
    corrupt[30] ^= 0xff;
    corrupt[31] ^= 0xff;
    const cases: [string, Uint8Array | string, string, number, string][] = [
      ["bomb", bomb, "gzip", 413, "request_too_large"],
      ["bomb on the tracker path", bomb, "gzip", 413, "request_too_large"],
      ["corrupt gzip", corrupt, "gzip", 400, "invalid_encoding"],
      ["truncated gzip", (await compress("gzip", JSON.stringify({ batch: [track("t-1")] }))).subarray(0, 20), "gzip", 400, "invalid_encoding"],
      ["not gzip at all", "this is not gzip", "gzip", 400, "invalid_encoding"],
      ["brotli", "anything", "br", 415, "unsupported_encoding"],
    ];
    for (const [name, body, encoding, status, code] of cases) {
      const path = name.includes("tracker") ? "/e" : "/v1/batch";
      const r = await call(path, { method: "POST", token: null, headers: { ...auth, "content-encoding": encoding }, body });
      expect(r.status, name).toBe(status);
      expect((await errorOf(r)).code, name).toBe(code);
    }
  });
});

describe("analytics.js short paths", () => {
  it("stores calls posted to /v1/t, /p, /i, /g, /a, /s and /b as text/plain with writeKey, deduped with the long paths", async () => {
    const site = await createSite(["example.com"]);
    const post = (path: string, body: unknown) =>
      call(path, { method: "POST", token: null, headers: { "content-type": "text/plain", origin: "https://www.example.com" }, body: JSON.stringify(body) });
    const wk = { writeKey: site.write_key, anonymousId: "ajs-1", timestamp: now() };
    const calls: [string, Record<string, unknown>][] = [
      ["/v1/t", { ...wk, messageId: "s-t", event: "Signed Up" }],
      ["/v1/p", { ...wk, messageId: "s-p", name: "Pricing", properties: { url: "https://example.com/pricing", path: "/pricing" } }],
      ["/v1/i", { ...wk, messageId: "s-i", userId: "u-1", traits: { plan: "pro" } }],
      ["/v1/g", { ...wk, messageId: "s-g", groupId: "example.com" }],
      ["/v1/a", { ...wk, messageId: "s-a", userId: "u-1", previousId: "ajs-1" }],
      ["/v1/s", { ...wk, messageId: "s-s", name: "Home" }],
      ["/v1/b", { writeKey: site.write_key, batch: [{ type: "track", event: "Batched", messageId: "s-b", anonymousId: "ajs-1" }, { type: "track", event: "Signed Up", messageId: "s-t", anonymousId: "ajs-1" }] }],
      // The same messageId again through the long path: one event.
      ["/v1/track", { ...wk, messageId: "s-t", event: "Signed Up" }],
    ];
    for (const [path, body] of calls) {
      const r = await post(path, body);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("access-control-allow-origin"), path).toBe("https://www.example.com");
    }
    const rows = await waitForEvents(site.id, 7);
    // Every copy handled by the consumer by now: one event per messageId.
    const all = await settledEvents(site);
    expect(all.map((r) => `${r.message_id}:${r.type}`).sort()).toEqual(["s-a:alias", "s-b:track", "s-g:group", "s-i:identify", "s-p:page", "s-s:screen", "s-t:track"]);
    expect(rows.find((r) => r.message_id === "s-p")).toMatchObject({ event: "Pricing", path: "/pricing" });
  });

  it("answers the preflights for the headers analytics.js adds, and its errors are readable cross-origin", async () => {
    const site = await createSite(["example.com"]);
    const pre = await call("/v1/t", {
      method: "OPTIONS",
      token: null,
      headers: { origin: "https://example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,x-retry-count" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toEqual(expect.arrayContaining(["authorization", "content-type", "x-retry-count"]));

    const post = (path: string, origin: string, body: unknown, headers: Record<string, string> = {}) =>
      call(path, { method: "POST", token: null, headers: { "content-type": "text/plain", origin, ...headers }, body: JSON.stringify(body) });
    const forged = await post("/v1/p", "https://evil.test", { writeKey: site.write_key, messageId: "f-1", anonymousId: "x" });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("access-control-allow-origin")).toBe("https://evil.test");
    expect((await errorOf(forged)).code).toBe("origin_not_allowed");
    const unknown = await post("/v1/t", "https://example.com", { writeKey: "wk_unknownunknownunknown00", event: "x", anonymousId: "x" });
    expect(unknown.status).toBe(401);
    expect((await errorOf(unknown)).code).toBe("unknown_write_key");
    const tooBig = await post("/v1/t", "https://example.com", { writeKey: site.write_key, event: "x", anonymousId: "x", properties: { blob: "x".repeat(40_000) } });
    expect(tooBig.status).toBe(400);
    expect((await errorOf(tooBig)).code).toBe("event_too_large");
    // A retry as analytics.js sends it: Basic auth and X-Retry-Count.
    const retry = await post("/v1/t", "https://example.com", { writeKey: site.write_key, event: "x", anonymousId: "x", messageId: "r-1" }, { authorization: basic(site.write_key), "x-retry-count": "1" });
    expect(retry.status).toBe(200);
  });
});

describe("IDN site domains", () => {
  it("stores bücher.example in punycode, shows it in Unicode, and takes events from its punycode Origin", async () => {
    const site = (await (await call("/v1/sites", { method: "POST", body: JSON.stringify({ name: "Bücher", domains: ["Bücher.example"] }) })).json()) as {
      id: string;
      write_key: string;
      domains: string[];
      domains_unicode: string[];
    };
    expect(site.domains).toEqual(["xn--bcher-kva.example"]);
    expect(site.domains_unicode).toEqual(["bücher.example"]);
    const listed = ((await (await call("/v1/sites")).json()) as { sites: { id: string; domains_unicode: string[] }[] }).sites.find((s) => s.id === site.id);
    expect(listed?.domains_unicode).toEqual(["bücher.example"]);

    const post = (origin: string, id: string) =>
      call("/v1/track", { method: "POST", token: null, headers: { authorization: basic(site.write_key), origin }, body: JSON.stringify(track(id)) });
    expect((await post("https://xn--bcher-kva.example", "idn-1")).status).toBe(200);
    expect((await post("https://www.xn--bcher-kva.example", "idn-2")).status).toBe(200);
    expect((await post("https://xn--bcher-kvb.example", "idn-3")).status).toBe(403);
    const rows = await waitForEvents(site.id, 2);
    expect(rows.map((r) => r.message_id).sort()).toEqual(["idn-1", "idn-2"]);
  });
});

describe("write keys", () => {
  it("refuses keys that are not of the issued shape with 401, like unknown ones", async () => {
    for (const key of ["wk_nope", "x".repeat(20_000), "wk_' OR 1=1 --"]) {
      const r = await call("/v1/track", { method: "POST", token: null, body: JSON.stringify({ ...track("k-1"), writeKey: key }) });
      expect(r.status, key.slice(0, 20)).toBe(401);
      expect((await errorOf(r)).code).toBe("unknown_write_key");
    }
  });
});

describe("a deployment without HASH_SECRET", () => {
  it("refuses events with a message saying what to set, instead of hashing emails plainly", async () => {
    const site = await createSite();
    const app = createApp();
    const request = new Request("https://collector.test/v1/identify", {
      method: "POST",
      headers: { authorization: basic(site.write_key), "content-type": "application/json" },
      body: JSON.stringify({ messageId: "no-secret", anonymousId: "a", traits: { email: "jane@acme.com" } }),
    });
    const r = await app.fetch(request, { ...env, HASH_SECRET: undefined });
    expect(r.status).toBe(503);
    const error = await errorOf(r);
    expect(error.code).toBe("hash_secret_missing");
    expect(error.message).toContain("wrangler secret put HASH_SECRET");
    expect(await settledEvents(site)).toEqual([]);
  });
});
