import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "../harness";
import { delivered, foothold, openBrowser, sleep, snippetLoaded, storedEvents, type Row } from "./chromium";

// How the snippet delivers, in real Chromium against the real collector: the first-party
// visitor cookie (SPEC §2), one send per event, bodies under the keepalive quota, and client
// clocks corrected by the send time (SPEC §3). What counts is what GET /v1/export/events holds.
//
// One web server plays the customer's site under three names:
// - 127.0.0.1:<web>      the collector elsewhere (127.0.0.1:<collector>: same host, so first-party)
// - www.site.localhost   the collector on a subdomain, t.site.localhost:<collector>, as a Custom Domain
// - localhost:<web>      the collector under the site's own origin: /s.js and /e proxied to it with
//                        the Host kept, as a Workers route on the site's zone would
// Chromium resolves *.localhost to loopback and treats it as a secure context, so Secure cookies work.

let collector: Collector;
let collectorPort = 0;
let web: Server;
let webPort = 0;
let deadEndpoint = "";

const STUB = `<script>window.foothold=window.foothold||function(){(foothold.q=foothold.q||[]).push(arguments)}</script>`;
const PAGES: Record<string, string> = {
  "/visit": `<title>Visit</title><h1>Hello</h1>
    <form id="contact" onsubmit="event.preventDefault()"><input type="email" name="email"><button>Send</button></form>`,
  "/forms": `<title>Forms</title>
    <form id="demo"><input name="company"></form><form id="trial"><input name="team"></form><form id="news"><input name="topic"></form>`,
  "/plain": `<title>Plain</title><p>plain</p>`,
};

/** Where the snippet comes from and sends to, for the host the page is served under. */
function collectorBase(host: string): string {
  if (host.startsWith("localhost:")) return ""; // the page's own origin (proxied)
  if (host.startsWith("www.site.localhost:")) return `http://t.site.localhost:${collectorPort}`;
  return collector.url;
}

/** Every POST /e body that reached the collector through the proxy, in arrival order. */
const relayed: string[] = [];
/** The bodies one site's snippet sent (by its write key). */
const relayedFor = (writeKey: string) => relayed.filter((b) => (JSON.parse(b) as { k?: string }).k === writeKey);

/**
 * The Workers route: the site's /s.js and /e go to the collector with Host, Origin and Cookie
 * as the browser sent them. It also counts what arrives: requests a page sends while it
 * unloads are not reliably reported to Playwright's request listeners.
 */
async function proxy(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (req.method === "POST") relayed.push(body.toString("utf8"));
  const upstream = request({ host: "127.0.0.1", port: collectorPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => res.writeHead(502).end());
  upstream.end(body);
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  collector = await startCollector();
  collectorPort = Number(new URL(collector.url).port);
  web = createServer((req, res) => {
    const host = req.headers.host ?? "";
    const url = new URL(req.url ?? "/", "http://x");
    if (host.startsWith("localhost:") && (url.pathname === "/s.js" || url.pathname === "/e")) return void proxy(req, res);
    const body = PAGES[url.pathname];
    if (url.pathname === "/bye") return res.writeHead(200, { "content-type": "text/html" }).end("<p>no snippet here</p>");
    if (!body) return res.writeHead(404).end();
    const api = url.searchParams.get("api");
    const snippet = `<script defer src="${collectorBase(host)}/s.js" data-key="${url.searchParams.get("key")}" data-local${api ? ` data-api="${api}"` : ""}></script>`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>${STUB}${snippet}${body}`);
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webPort = (web.address() as { port: number }).port;
  deadEndpoint = `http://127.0.0.1:${await freePort()}/e`;
});

afterAll(async () => {
  if (web) await new Promise((r) => web.close(r));
  await collector?.stop();
});

const stored = (siteId: string, count: number) => storedEvents(collector, siteId, count);
const DESKTOP_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
const eventsOf = (body: string) => (JSON.parse(body) as { e: { i: string; t: string }[] }).e;
const props = (r: Row) => JSON.parse(String(r.properties)) as Record<string, unknown>;

describe.each([
  { setup: "served from a subdomain of the site (a Custom Domain)", host: "www.site.localhost", domains: ["site.localhost"], cookieDomain: ".site.localhost" },
  { setup: "under a Workers route on the site's own origin", host: "localhost", domains: ["localhost"], cookieDomain: "localhost" },
])("first-party visitor cookie, $setup", ({ host, domains, cookieDomain }) => {
  it("keeps a visitor whose localStorage was cleared one visitor, with two sessions and their account", async () => {
    const site = await collector.createSite(`Cookie ${host}`, domains);
    const origin = `http://${host}:${webPort}`;
    // A desktop browser's user agent: a headless one is flagged as a bot and never resolves to an account.
    const { page, context, close } = await openBrowser(undefined, { userAgent: DESKTOP_CHROME });

    // Visit 1: a page view and a form that names the visitor's company.
    await page.goto(`${origin}/visit?key=${site.write_key}`);
    await snippetLoaded(page);
    await page.fill("[name=email]", "jane@acme.com");
    await page.evaluate(() => (document.getElementById("contact") as HTMLFormElement).requestSubmit());
    await delivered(page);
    const first = await page.evaluate(() => localStorage.fh_a);
    const cookie = (await context.cookies()).find((c) => c.name === "fh_id");
    expect(cookie).toMatchObject({ value: first, domain: cookieDomain, httpOnly: true, secure: true, sameSite: "Lax" });
    // 400 days, renewed on every request
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(399 * 86_400_000);

    // The browser wipes script storage (Safari ITP after 7 days); the server-set cookie stays.
    await page.evaluate(() => localStorage.clear());

    // Visit 2, from a campaign: a new session.
    await page.goto(`${origin}/plain?key=${site.write_key}&utm_source=newsletter&utm_campaign=spring`);
    await snippetLoaded(page);
    await delivered(page);
    // The snippet made a new id, the collector answered with the cookie's, and the snippet took it
    // (after the queue emptied: the answer's body is read after the queue is written).
    const adopted = await page
      .waitForFunction((id) => localStorage.fh_a === id, first, { timeout: 10_000 })
      .then(() => first, async () => page.evaluate(() => localStorage.fh_a as string));
    await page.goto(`${origin}/bye`);
    await sleep(300);
    await close();

    const rows = await stored(site.id, 5);
    expect(rows.filter((r) => r.type === "page").map((r) => r.path)).toEqual(["/visit", "/plain"]);
    expect(new Set(rows.map((r) => r.anonymous_id))).toEqual(new Set([first]));
    expect(adopted).toBe(first);
    const views = rows.filter((r) => r.type === "page");
    expect(new Set(views.map((r) => r.session_id)).size).toBe(2);
    // The second visit counts for the account the first one resolved.
    expect(views.map((r) => r.account_domain)).toEqual(["acme.com", "acme.com"]);
    expect(views[1]).toMatchObject({ utm_campaign: "spring" });
  });
});

describe("one send per event", () => {
  // Pages under the site's own origin, so every request passes the counting proxy.
  const site = (path: string, key: string) => `http://localhost:${webPort}${path}?key=${key}`;

  it("hides a page with three open forms and engagement pending in one request, each event sent once", async () => {
    const s = await collector.createSite("Three forms", ["localhost"]);
    const { page, close } = await openBrowser();
    await page.goto(site("/forms", s.write_key));
    await snippetLoaded(page);
    for (const name of ["company", "team", "topic"]) await page.fill(`[name=${name}]`, "x");
    await delivered(page);
    const before = relayedFor(s.write_key).length;
    await page.goto(`http://localhost:${webPort}/bye`); // pagehide: engagement + three abandons
    const rows = await stored(s.id, 8);
    await close();

    const bodies = relayedFor(s.write_key);
    const atHide = bodies.slice(before);
    expect(atHide.length).toBe(1);
    expect(eventsOf(atHide[0]).map((e) => e.t).sort()).toEqual(["a", "a", "a", "e"]);
    // No event went out twice, in any request of the page.
    const sent = bodies.flatMap((b) => eventsOf(b).map((e) => e.i));
    expect(sent.length).toBe(new Set(sent).size);
    expect(sent.length).toBe(8); // page, three starts, three abandons, one engagement report
    expect(rows.filter((r) => r.event === "form_abandon").map((r) => props(r).form).sort()).toEqual(["demo", "news", "trial"]);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(8);
  });

  it("sends 500 custom events in bodies under the 64 KB keepalive quota and loses none", async () => {
    const s = await collector.createSite("Bulk", ["localhost"]);
    const { page, failed, close } = await openBrowser();
    await page.goto(site("/plain", s.write_key));
    await snippetLoaded(page);
    // 500 events of about 1.1 KB each, in one task: about 550 KB waiting at once.
    await page.evaluate(() => {
      const f = (window as unknown as { foothold: (...a: unknown[]) => void }).foothold;
      for (let i = 0; i < 500; i++) f("track", "Bulk", { i, pad: "x".repeat(1000) });
    });
    await delivered(page);
    await close();

    const rows = await stored(s.id, 501);
    const bulk = rows.filter((r) => r.event === "Bulk").map((r) => Number(props(r).i));
    expect(bulk.length).toBe(500);
    expect(new Set(bulk).size).toBe(500);
    expect(Math.min(...bulk)).toBe(0);
    expect(Math.max(...bulk)).toBe(499);
    expect(failed).toEqual([]);
    // Split: no body over 64 KB, so at least 550 KB / 64 KB of them.
    const sizes = relayedFor(s.write_key).map((b) => Buffer.byteLength(b));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect(sizes.length).toBeGreaterThanOrEqual(9);
    // Each event in one body only.
    const sent = relayedFor(s.write_key).flatMap((b) => eventsOf(b).map((e) => e.i));
    expect(sent.length).toBe(501);
    expect(new Set(sent).size).toBe(501);
  });
});

describe("client clock two hours fast", () => {
  it("stores events at the true time, in the order they happened, the client's time kept", async () => {
    const site = await collector.createSite("Fast clock", ["127.0.0.1"]);
    const HOUR = 3_600_000;
    const started = Date.now();
    const { page, close } = await openBrowser(`{ const real = Date.now; Date.now = () => real() + ${2 * HOUR}; }`);
    // The collector is unreachable: the page view and a click wait in the retry store.
    await page.goto(`http://127.0.0.1:${webPort}/plain?key=${site.write_key}&api=${encodeURIComponent(deadEndpoint)}`);
    await snippetLoaded(page);
    await foothold(page, "track", "Offline Click");
    await sleep(500);
    // The next page sends them together with its own page view, in one request.
    await page.goto(`http://127.0.0.1:${webPort}/visit?key=${site.write_key}`);
    await snippetLoaded(page);
    await delivered(page);
    await close();
    const ended = Date.now();

    const rows = await stored(site.id, 3);
    const at = (r: Row, column = "timestamp") => Date.parse(String(r[column]));
    for (const r of rows) {
      // The true time, by the machine's clock the test and the collector share.
      expect(at(r)).toBeGreaterThanOrEqual(started - 1_000);
      expect(at(r)).toBeLessThanOrEqual(at(r, "received_at"));
      expect(at(r, "received_at")).toBeLessThanOrEqual(ended + 1_000);
      // The client's own time is kept, two hours ahead.
      expect(at(r, "original_timestamp") - at(r)).toBeGreaterThan(2 * HOUR - 60_000);
      expect(at(r, "original_timestamp") - at(r)).toBeLessThanOrEqual(2 * HOUR + 1_000);
    }
    const click = rows.find((r) => r.event === "Offline Click")!;
    const secondView = rows.find((r) => r.type === "page" && r.path === "/visit")!;
    // Same request, so the same receive time; the click still comes first.
    expect(click.received_at).toBe(secondView.received_at);
    expect(at(click)).toBeLessThan(at(secondView));
  });
});

describe("opting out and in again", () => {
  it("starts a new visitor although the first-party cookie still holds the old id", async () => {
    const site = await collector.createSite("Opt in again", ["127.0.0.1"]);
    const { page, context, close } = await openBrowser();
    await page.goto(`http://127.0.0.1:${webPort}/plain?key=${site.write_key}`);
    await snippetLoaded(page);
    await delivered(page);
    const before = await page.evaluate(() => localStorage.fh_a);
    await foothold(page, "optout");
    await foothold(page, "optin");
    await page.goto(`http://127.0.0.1:${webPort}/visit?key=${site.write_key}`);
    await snippetLoaded(page);
    await delivered(page);
    const after = await page.evaluate(() => localStorage.fh_a);
    const cookie = (await context.cookies()).find((c) => c.name === "fh_id");
    await close();

    const rows = await stored(site.id, 3);
    expect(rows.filter((r) => r.type === "page").map((r) => [r.path, r.anonymous_id])).toEqual([["/plain", before], ["/visit", after]]);
    // Leaving the first page after the opt-in reports its engagement as the new visitor.
    expect(rows.filter((r) => r.event === "engagement").map((r) => [r.path, r.anonymous_id])).toEqual([["/plain", after]]);
    expect(after).not.toBe(before);
    // The cookie now holds the new visitor.
    expect(cookie?.value).toBe(after);
  });
});
