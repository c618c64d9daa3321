import { describe, expect, it } from "vitest";
import { basic, call, createSite, waitForEvents } from "./helpers";

const track = (i: number, extra: Record<string, unknown> = {}) => ({
  type: "track",
  event: "Signed Up",
  messageId: `m-${i}`,
  anonymousId: `anon-${i % 3}`,
  timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
  properties: { plan: "pro", i },
  ...extra,
});

describe("Segment-compatible ingest", () => {
  it("accepts a batch with the write key as Basic user and stores every event once", async () => {
    const site = await createSite();
    const batch = Array.from({ length: 5 }, (_, i) => track(i));
    const r = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ success: true });
    // A client retry at once (both copies may reach the consumer together) and one later add nothing.
    await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    const rows = await waitForEvents(site.id, 5);
    // The later one carries a new event in the same request, so in the same queue message: once the
    // consumer has stored it, it has handled the re-sent ones (and, queued before, the first retry).
    const retry = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch: [...batch, track(5)] }) });
    expect(retry.status).toBe(200);
    const again = await waitForEvents(site.id, 6);
    expect(again.map((e) => e.message_id).sort()).toEqual(["m-0", "m-1", "m-2", "m-3", "m-4", "m-5"]);
    expect(rows[0]).toMatchObject({ type: "track", event: "Signed Up", site_id: site.id });
    expect(JSON.parse(rows[0].properties as string)).toMatchObject({ plan: "pro" });
  });

  it("takes writeKey in the body for single calls", async () => {
    const site = await createSite();
    const r = await call("/v1/page", {
      method: "POST",
      token: null,
      body: JSON.stringify({
        writeKey: site.write_key,
        messageId: "p-1",
        anonymousId: "a1",
        properties: { url: "https://example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=q4", referrer: "https://www.google.com/" },
      }),
    });
    expect(r.status).toBe(200);
    const [row] = await waitForEvents(site.id, 1);
    expect(row).toMatchObject({ type: "page", path: "/pricing", utm_source: "google", utm_medium: "cpc", utm_campaign: "q4", channel: "Paid Search" });
  });

  it("keeps the valid events of a batch and the refused ones with their reason", async () => {
    const site = await createSite();
    const batch = [track(101), { type: "track", messageId: "bad-1", anonymousId: "x" }, { type: "explode" }, track(102), "not an event"];
    const r = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { success: boolean; rejected: { index: number; code: string }[] };
    expect(body.success).toBe(true);
    expect(body.rejected.map((x) => [x.index, x.code])).toEqual([
      [1, "invalid_event_name"],
      [2, "invalid_type"],
      [4, "invalid_event"],
    ]);
    const rows = await waitForEvents(site.id, 2);
    expect(rows.map((e) => e.message_id).sort()).toEqual(["m-101", "m-102"]);
    // Rejects are durable too, readable with their reasons.
    let rejects: { code: string; reason: string; payload: unknown }[] = [];
    for (let i = 0; i < 50 && rejects.length < 3; i++) {
      rejects = ((await (await call("/v1/rejects")).json()) as { rejects: typeof rejects }).rejects;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rejects.map((x) => x.code).sort()).toEqual(["invalid_event", "invalid_event_name", "invalid_type"]);
    expect(rejects.find((x) => x.code === "invalid_event_name")?.payload).toEqual({ type: "track", messageId: "bad-1", anonymousId: "x" });
  });
});

// HMAC-SHA256 of "jane@acme.com" under the test deployment's HASH_SECRET ("test-hash-secret"),
// computed independently: `printf %s jane@acme.com | openssl dgst -sha256 -hmac test-hash-secret`.
const JANE = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";

describe("emails are kept hashed", () => {
  it("hashes an email in properties, and in refused events kept for inspection, with the keyed hash", async () => {
    const site = await createSite();
    const batch = [
      track(201, { properties: { email: "Jane@Acme.com", plan: "pro" } }),
      { type: "identify", messageId: "bad-email", anonymousId: "x", timestamp: "garbage", traits: { email: "jane@acme.com" }, context: { traits: { email: "jane@acme.com" } } },
    ];
    const r = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    expect(r.status).toBe(200);
    const [row] = await waitForEvents(site.id, 1);
    expect(JSON.parse(row.properties as string)).toEqual({ email: JANE, plan: "pro" });
    expect(JSON.stringify(row).toLowerCase()).not.toContain("jane@acme.com");

    let rejects: { code: string; payload: unknown }[] = [];
    for (let i = 0; i < 50 && !rejects.some((x) => x.code === "invalid_timestamp"); i++) {
      rejects = ((await (await call("/v1/rejects")).json()) as { rejects: typeof rejects }).rejects;
      await new Promise((res) => setTimeout(res, 100));
    }
    const kept = rejects.find((x) => x.code === "invalid_timestamp");
    expect(kept).toBeDefined();
    expect(JSON.stringify(kept).toLowerCase()).not.toContain("jane@acme.com");
    // Same address, same hash: the refused event can still be matched to the person.
    expect(kept!.payload).toMatchObject({ traits: { email: JANE }, context: { traits: { email: JANE } } });
  });
});

describe("hostile input gets a 4xx JSON error, never a 5xx", () => {
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    call(path, { method: "POST", token: null, headers, body });

  it("refuses malformed JSON, an unknown key, a forged Origin, wrong types, deep nesting and 2 MB", async () => {
    const site = await createSite(["example.com"]);
    const auth = { authorization: basic(site.write_key) };
    const cases: [string, Promise<Response>, number, string][] = [
      ["malformed", post("/v1/batch", "{not json", auth), 400, "malformed_json"],
      ["unknown key", post("/v1/batch", JSON.stringify({ batch: [track(1)] }), { authorization: basic("wk_nope") }), 401, "unknown_write_key"],
      ["no key", post("/v1/track", JSON.stringify(track(1))), 401, "missing_write_key"],
      ["forged origin", post("/v1/batch", JSON.stringify({ batch: [track(1)] }), { ...auth, origin: "https://evil.test" }), 403, "origin_not_allowed"],
      ["batch not array", post("/v1/batch", JSON.stringify({ batch: { a: 1 } }), auth), 400, "invalid_batch"],
      ["body array", post("/v1/track", JSON.stringify([1, 2]), auth), 400, "invalid_body"],
      ["wrong types", post("/v1/track", JSON.stringify({ ...track(1), properties: "x" }), auth), 400, "invalid_properties"],
      ["deep", post("/v1/track", JSON.stringify({ ...track(1), properties: JSON.parse("{\"a\":".repeat(40) + "1" + "}".repeat(40)) }), auth), 400, "too_deep"],
      ["2 MB", post("/v1/batch", JSON.stringify({ batch: [track(1, { properties: { blob: "x".repeat(2_000_000) } })] }), auth), 413, "request_too_large"],
      ["event over 32 KB", post("/v1/track", JSON.stringify(track(1, { properties: { blob: "x".repeat(40_000) } })), auth), 400, "event_too_large"],
      ["tracker garbage", post("/e", "[[[[[", { "content-type": "text/plain" }), 400, "malformed_json"],
      ["non-ASCII over 32 KB in bytes", post("/v1/track", JSON.stringify(track(1, { properties: { text: "漢".repeat(12_000) } })), auth), 400, "event_too_large"],
      ["hostile strings", post("/v1/track", JSON.stringify(track(1, { event: "\u0000<script>".repeat(100) })), auth), 400, "invalid_event_name"],
    ];
    for (const [name, response, status, code] of cases) {
      const r = await response;
      expect(r.status, name).toBe(status);
      expect(r.headers.get("content-type"), name).toMatch(/application\/json/);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code, name).toBe(code);
      expect(body.error.message.length, name).toBeGreaterThan(10);
    }
  });

  it("refuses a tracker event with an absurd time by its reason, keeps it for inspection, and takes the rest of the request", async () => {
    const site = await createSite(["example.com"]);
    const now = Date.now();
    const body = { k: site.write_key, a: "absurd-visitor", e: [{ t: "page", i: "absurd-time", ts: 1e20, u: "https://example.com/" }, { t: "page", i: "sane-time", ts: now - 1000, u: "https://example.com/pricing" }] };
    const r = await post("/e", JSON.stringify(body), { "content-type": "text/plain", origin: "https://example.com" });
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ success: true, accepted: 1, rejected: 1 });
    let kept: { code: string; payload: { messageId?: string } } | undefined;
    for (let i = 0; i < 100 && !kept; i++) {
      const { rejects } = (await (await call("/v1/rejects")).json()) as { rejects: { code: string; payload: { messageId?: string } }[] };
      kept = rejects.find((x) => x.payload?.messageId === "absurd-time");
      if (!kept) await new Promise((res) => setTimeout(res, 100));
    }
    expect(kept?.code).toBe("invalid_timestamp");
    const rows = await waitForEvents(site.id, 1);
    expect(rows.map((e) => [e.message_id, e.timestamp])).toEqual([["sane-time", new Date(now - 1000).toISOString()]]);
  });

  it("takes a snippet re-send up to 7 days after the event and refuses a later one as final, while /v1/batch takes a backfill", async () => {
    const site = await createSite(["example.com"]);
    const now = Date.now();
    const day = 86_400_000;
    // The snippet's clock is 3 h fast: its send time and event times agree with each other.
    const sent = now + 3 * 3600_000;
    const e = [
      { t: "page", i: "held-6-days", ts: sent - 6 * day, u: "https://example.com/" },
      { t: "page", i: "held-8-days", ts: sent - 8 * day, u: "https://example.com/pricing" },
    ];
    const r = await post("/e", JSON.stringify({ k: site.write_key, a: "returning-visitor", t: sent, e }), { "content-type": "text/plain", origin: "https://example.com" });
    // 202: the snippet takes any answer but 5xx/429 as final and drops both from its store.
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ success: true, accepted: 1, rejected: 1 });
    const backfill = await post("/v1/batch", JSON.stringify({ batch: [track(40, { messageId: "backfill-90-days", timestamp: new Date(now - 90 * day).toISOString() })], sentAt: new Date(now).toISOString() }), { authorization: basic(site.write_key) });
    expect(backfill.status).toBe(200);
    const rows = await waitForEvents(site.id, 2);
    expect(rows.map((x) => x.message_id).sort()).toEqual(["backfill-90-days", "held-6-days"]);
    let kept: { code: string } | undefined;
    for (let i = 0; i < 100 && !kept; i++) {
      const { rejects } = (await (await call("/v1/rejects")).json()) as { rejects: { code: string; payload: { messageId?: string } }[] };
      kept = rejects.find((x) => x.payload?.messageId === "held-8-days");
      if (!kept) await new Promise((res) => setTimeout(res, 100));
    }
    expect(kept?.code).toBe("stale_resend");
  });

  it("accepts an allowed Origin, including subdomains", async () => {
    const site = await createSite(["example.com"]);
    const r = await post("/v1/track", JSON.stringify(track(9)), { authorization: basic(site.write_key), origin: "https://www.example.com" });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("https://www.example.com");
  });
});

describe("channel override rules", () => {
  it("classifies with the deployment's rules first, and refuses rules that don't compile", async () => {
    const bad = await call("/v1/settings/channels", { method: "PUT", body: JSON.stringify({ rules: [{ channel: "Podcast", match: { utm_source: "(" } }] }) });
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { error: { code: string; message: string } };
    expect(badBody.error.code).toBe("invalid_rules");
    expect(badBody.error.message).toMatch(/channel must be one of/);
    expect(badBody.error.message).toMatch(/not a valid regular expression/);

    const rules = [{ channel: "Paid Social", match: { utm_source: "^partnerx$" } }];
    const ok = await call("/v1/settings/channels", { method: "PUT", body: JSON.stringify({ rules }) });
    expect(ok.status).toBe(200);
    expect(((await (await call("/v1/settings/channels")).json()) as { rules: unknown }).rules).toEqual(rules);

    const site = await createSite();
    const page = (id: string, query: string) => ({
      type: "page", messageId: id, anonymousId: `rules-${id}`,
      properties: { url: `https://example.com/?${query}` },
    });
    // The default grouping calls utm_source=partnerx with no medium Other; the rule makes it Paid Social.
    await call("/v1/batch", {
      method: "POST", token: null, headers: { authorization: basic(site.write_key) },
      body: JSON.stringify({ batch: [page("r-1", "utm_source=partnerx"), page("r-2", "utm_source=google&utm_medium=cpc")] }),
    });
    const rows = await waitForEvents(site.id, 2);
    const channelOf = (id: string) => rows.find((r) => r.message_id === id)?.channel;
    expect(channelOf("r-1")).toBe("Paid Social");
    expect(channelOf("r-2")).toBe("Paid Search");

    expect((await call("/v1/settings/channels", { token: null })).status).toBe(401);
  });
});
