import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { basic, createSite, waitForEvents } from "./helpers";

// SPEC §2: served first-party, POST /e keeps the visitor id in an HttpOnly cookie fh_id too,
// so a visitor whose script storage was wiped is the same visitor. The cookie's id wins and the
// answer names it; never under GPC. And §3: client clocks are corrected by their send time.

const PAGE = "https://www.example.com";
const NOW = () => Date.now();

/** POST /e as the snippet sends it, to the collector at `collector` (a subdomain of the site, or not). */
function send(
  collector: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return exports.default.fetch(
    new Request(`${collector}/e`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8", origin: PAGE, ...headers }, body: JSON.stringify(body) }),
  );
}

const page = (i: string, ts = NOW()) => ({ i, t: "page", ts, u: `${PAGE}/pricing` });

async function answer(r: Response): Promise<{ a: string; accepted: number }> {
  expect(r.status).toBe(202);
  return (await r.json()) as { a: string; accepted: number };
}

describe("the first-party visitor cookie fh_id", () => {
  it("is set on the site's registrable domain when the collector is its subdomain, with credentialed CORS", async () => {
    const site = await createSite(["example.com"]);
    const r = await send("https://t.example.com", { k: site.write_key, a: "17961653759400.first", e: [page("c-1")] });
    expect(r.headers.get("set-cookie")).toBe(
      "fh_id=17961653759400.first; Max-Age=34560000; Domain=example.com; Path=/; HttpOnly; Secure; SameSite=Lax",
    );
    // Credentialed CORS: the exact Origin, never "*".
    expect(r.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(r.headers.get("access-control-allow-credentials")).toBe("true");
    expect(await answer(r)).toMatchObject({ a: "17961653759400.first", accepted: 1 });
  });

  it("wins over a new id from wiped script storage: the events are the cookie's visitor's, and renewed", async () => {
    const site = await createSite(["example.com"]);
    const r = await send(
      "https://t.example.com",
      { k: site.write_key, a: "17961700000000.wiped", e: [page("c-2"), { i: "c-3", t: "track", ts: NOW(), u: `${PAGE}/pricing`, n: "Demo" }] },
      { cookie: "other=1; fh_id=17950000000000.kept" },
    );
    expect(r.headers.get("set-cookie")).toMatch(/^fh_id=17950000000000\.kept; Max-Age=34560000; Domain=example\.com;/);
    expect(await answer(r)).toMatchObject({ a: "17950000000000.kept", accepted: 2 });
    const rows = await waitForEvents(site.id, 2);
    expect(rows.map((e) => e.anonymous_id)).toEqual(["17950000000000.kept", "17950000000000.kept"]);
  });

  it("is host-only under a Workers route on the page's own host", async () => {
    const site = await createSite(["example.com"]);
    const r = await send("https://www.example.com", { k: site.write_key, a: "17961653759400.r", e: [page("c-4")] });
    // www.example.com shares example.com with itself: the cookie covers the whole site.
    expect(r.headers.get("set-cookie")).toContain("Domain=example.com");
    const local = await createSite(["localhost"]);
    const l = await exports.default.fetch(
      new Request("http://localhost:8787/e", { method: "POST", headers: { origin: "http://localhost:3000" }, body: JSON.stringify({ k: local.write_key, a: "17961653759400.l", e: [page("c-5")] }) }),
    );
    expect(l.headers.get("set-cookie")).toBe("fh_id=17961653759400.l; Max-Age=34560000; Path=/; HttpOnly; Secure; SameSite=Lax");
  });

  it("is neither set nor read by a third-party collector", async () => {
    const site = await createSite(["example.com"]);
    const r = await send("https://collector.vendor.net", { k: site.write_key, a: "17961653759400.own", e: [page("c-6")] }, { cookie: "fh_id=17950000000000.elsewhere" });
    expect(r.headers.get("set-cookie")).toBeNull();
    expect(await answer(r)).toMatchObject({ a: "17961653759400.own" });
    expect((await waitForEvents(site.id, 1)).map((e) => e.anonymous_id)).toEqual(["17961653759400.own"]);
  });

  it("is not read under Global Privacy Control, and one held is deleted (the snippet's g, or Sec-GPC)", async () => {
    const site = await createSite(["example.com"]);
    const fresh = await send("https://t.example.com", { k: site.write_key, a: "17961653759400.gpc", g: true, e: [page("c-7")] });
    expect(fresh.headers.get("set-cookie")).toBeNull();
    const held = await send("https://t.example.com", { k: site.write_key, a: "17961653759400.gpc", g: true, e: [page("c-8")] }, { cookie: "fh_id=17950000000000.before" });
    expect(held.headers.get("set-cookie")).toBe("fh_id=; Max-Age=0; Domain=example.com; Path=/; HttpOnly; Secure; SameSite=Lax");
    const header = await send("https://t.example.com", { k: site.write_key, a: "17961653759400.gpc", e: [page("c-9")] }, { cookie: "fh_id=17950000000000.before", "sec-gpc": "1" });
    expect(header.headers.get("set-cookie")).toMatch(/^fh_id=; Max-Age=0;/);
    expect(await answer(header)).toMatchObject({ a: "17961653759400.gpc" });
    const rows = await waitForEvents(site.id, 3);
    expect(new Set(rows.map((e) => e.anonymous_id))).toEqual(new Set(["17961653759400.gpc"]));
  });

  it("gives way to an id made on opting in again, and then holds that one", async () => {
    const site = await createSite(["example.com"]);
    const r = await send("https://t.example.com", { k: site.write_key, a: "o17961653759400.new", e: [page("c-10")] }, { cookie: "fh_id=17950000000000.forgotten" });
    expect(r.headers.get("set-cookie")).toMatch(/^fh_id=o17961653759400\.new;/);
    expect(await answer(r)).toMatchObject({ a: "o17961653759400.new" });
  });

  it("ignores a cookie that is not one of ours and sets its own", async () => {
    const site = await createSite(["example.com"]);
    const r = await send("https://t.example.com", { k: site.write_key, a: "17961653759400.mine", e: [page("c-11")] }, { cookie: "fh_id=%3Cscript%3E" });
    expect(await answer(r)).toMatchObject({ a: "17961653759400.mine" });
    expect(r.headers.get("set-cookie")).toMatch(/^fh_id=17961653759400\.mine;/);
  });
});

describe("client clock correction", () => {
  const HOUR = 3_600_000;
  const timeOf = (row: Record<string, unknown>, column: string) => Date.parse(String(row[column]));

  it("puts events from a clock two hours fast at the true time through /v1/batch, keeping the original", async () => {
    const site = await createSite(["example.com"]);
    const clock = NOW() + 2 * HOUR; // the client's clock
    const batch = [
      // tracked ten minutes and one second before the batch was sent, by the client's clock
      { type: "track", event: "Early", messageId: "clk-1", anonymousId: "a", timestamp: new Date(clock - 600_000).toISOString() },
      { type: "track", event: "Late", messageId: "clk-2", anonymousId: "a", timestamp: new Date(clock - 1_000).toISOString() },
      // its own sentAt wins over the batch's (here: one sent a minute later than the batch says)
      { type: "track", event: "Own", messageId: "clk-3", anonymousId: "a", timestamp: new Date(clock).toISOString(), sentAt: new Date(clock + 60_000).toISOString() },
    ];
    const r = await exports.default.fetch(
      new Request("https://collector.test/v1/batch", {
        method: "POST",
        headers: { authorization: basic(site.write_key), "content-type": "application/json" },
        body: JSON.stringify({ batch, sentAt: new Date(clock).toISOString() }),
      }),
    );
    expect(r.status).toBe(200);
    const rows = new Map((await waitForEvents(site.id, 3)).map((e) => [e.event, e]));
    const early = rows.get("Early")!;
    // timestamp = received_at − (sent_at − timestamp): ten minutes before receipt, to the millisecond
    expect(timeOf(early, "timestamp")).toBe(timeOf(early, "received_at") - 600_000);
    expect(early.original_timestamp).toBe(batch[0].timestamp);
    expect(timeOf(rows.get("Late")!, "timestamp")).toBe(timeOf(rows.get("Late")!, "received_at") - 1_000);
    expect(timeOf(rows.get("Own")!, "timestamp")).toBe(timeOf(rows.get("Own")!, "received_at") - 60_000);
  });

  it("corrects the tracker's events by the request's send time t", async () => {
    const site = await createSite(["example.com"]);
    const clock = NOW() + 2 * HOUR;
    // a page view from the retry store, recorded 90 s before this request by the client's clock
    const r = await send("https://collector.test", { k: site.write_key, a: "v", t: clock, e: [page("clk-t1", clock - 90_000), page("clk-t2", clock)] });
    expect(r.status).toBe(202);
    const rows = new Map((await waitForEvents(site.id, 2)).map((e) => [e.message_id, e]));
    const retried = rows.get("clk-t1")!;
    expect(timeOf(retried, "timestamp")).toBe(timeOf(retried, "received_at") - 90_000);
    expect(timeOf(retried, "original_timestamp")).toBe(clock - 90_000);
    expect(timeOf(rows.get("clk-t2")!, "timestamp")).toBe(timeOf(rows.get("clk-t2")!, "received_at"));
  });

  it("without a send time clamps a fast clock to the receive time, as before", async () => {
    const site = await createSite(["example.com"]);
    const clock = NOW() + 2 * HOUR;
    await send("https://collector.test", { k: site.write_key, a: "v", e: [page("clk-n1", clock - 90_000)] });
    const [row] = await waitForEvents(site.id, 1);
    expect(row.timestamp).toBe(row.received_at);
    expect(timeOf(row, "original_timestamp")).toBe(clock - 90_000);
  });
});
