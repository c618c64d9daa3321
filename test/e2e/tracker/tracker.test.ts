import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTracker } from "../../../scripts/build-tracker.mjs";
import { fromTrackerPayload } from "../../../collector/ingest/tracker-wire";
import type { IncomingEvent } from "../../../collector/protocol";
import { startCollector, type Collector } from "../harness";
import { openBrowser, sleep, storedEvents, type Row } from "./chromium";

// The snippet in real headless Chromium, served by the real collector (GET /s.js) and sending
// to it (POST /e); what counts is what the collector stored (GET /v1/export/events).

let collector: Collector;
let web: Server;
let origin = "";
let deadEndpoint = "";

/** Test pages by path; `snippet` is filled in per request from the query (?key=…&api=…). */
const PAGES: Record<string, (snippet: string) => string> = {
  "/app": (s) => `<title>App</title>${STUB}${s}<h1>App</h1>
    <form id="demo" onsubmit="event.preventDefault()"><input type="email" name="email"><input name="company" required>
      <input type="radio" name="size" value="s"><input type="radio" name="size" value="l"><button>Send</button></form>
    <form name="newsletter" onsubmit="event.preventDefault()"><input name="topic"></form>
    <a id="out" href="https://example.org/partners" onclick="event.preventDefault()">partners</a>
    <a id="mail" href="mailto:sales@example.com" onclick="event.preventDefault()">mail</a>
    <a id="pdf" href="/files/brochure.pdf" onclick="event.preventDefault()">brochure</a>
    <div style="height:3000px"></div>`,
  "/signup": (s) => `<title>Sign up</title>${s}
    <form id="signup" action="/thanks" onsubmit="event.preventDefault()">
      <input type="email" name="work_email"><input type="password" name="password">
      <input name="card" autocomplete="cc-number"><input type="hidden" name="token" value="secret-token-77">
      <div data-foothold-ignore><input name="notes"></div><input name="role"></form>`,
  "/plain": (s) => `<title>Plain</title>${STUB}${s}<p>plain</p>`,
  "/bye": () => `<title>Bye</title><p>no snippet here</p>`,
};
const STUB = `<script>window.foothold=window.foothold||function(){(foothold.q=foothold.q||[]).push(arguments)}</script>`;

/**
 * FOOTHOLD_FAKE_COLLECTOR=1: a stand-in that serves the fresh build and stores /e events by
 * messageId, for working on the snippet without wrangler. The real runs use the collector.
 */
async function startFakeCollector(): Promise<Collector> {
  const rows = new Map<string, Row>();
  const sites: { id: string; write_key: string }[] = [];
  const js = await buildTracker();
  const server = createServer(async (req, res) => {
    const cors = { "access-control-allow-origin": req.headers.origin ?? "*" };
    if (req.url === "/s.js") return res.writeHead(200, { "content-type": "text/javascript", ...cors }).end(js);
    let body = "";
    for await (const chunk of req) body += chunk;
    const payload = fromTrackerPayload(JSON.parse(body));
    if ("error" in payload) return res.writeHead(400, cors).end();
    const site = sites.find((s) => s.write_key === payload.writeKey);
    if (!site) return res.writeHead(401, cors).end();
    for (const e of payload.events as (IncomingEvent & { context: { page: { url: string } }; traits?: { email?: string } })[]) {
      rows.set(String(e.messageId), {
        message_id: e.messageId, site_id: site.id, type: e.type, event: e.event ?? null, anonymous_id: e.anonymousId,
        group_id: e.groupId ?? null, url: e.context.page.url, path: new URL(e.context.page.url).pathname,
        email_domain: e.traits?.email?.split("@")[1] ?? null, properties: JSON.stringify(e.properties ?? {}),
      });
    }
    res.writeHead(202, cors).end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    adminToken: "",
    stop: () => new Promise((r) => server.close(() => r())),
    restart: async () => {},
    api: () => Promise.reject(new Error("fake collector: no API")),
    createSite: async (name) => {
      const site = { id: `site-${sites.length}-${name}`, write_key: `wk-${sites.length}` };
      sites.push(site);
      return site;
    },
    exportEvents: async () => [...rows.values()],
    // Rows are kept as they arrive: everything answered is already there.
    settled: async () => [...rows.values()],
  };
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  collector = process.env.FOOTHOLD_FAKE_COLLECTOR ? await startFakeCollector() : await startCollector();
  web = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const render = PAGES[url.pathname] ?? (url.pathname.startsWith("/app/") ? PAGES["/app"] : undefined);
    if (!render) return res.writeHead(404).end();
    const api = url.searchParams.get("api");
    const pre = url.searchParams.get("pre") ?? "";
    const snippet = `${pre ? `<script>${pre}</script>` : ""}<script defer src="${collector.url}/s.js" data-key="${url.searchParams.get("key")}" data-local${api ? ` data-api="${api}"` : ""}></script>`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>${render(snippet)}`);
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
  // A port nobody listens on: the collector "down" (connection refused).
  deadEndpoint = `http://127.0.0.1:${await freePort()}/e`;
});

afterAll(async () => {
  if (web) await new Promise((r) => web.close(r));
  await collector?.stop();
});

const browser = openBrowser;
const stored = (siteId: string, count: number) => storedEvents(collector, siteId, count);

const props = (r: Row) => JSON.parse(String(r.properties)) as Record<string, unknown>;
const summary = (rows: Row[]) => rows.map((r) => `${r.type}:${r.event ?? ""}:${r.path}`);

describe("tracker snippet in Chromium", () => {
  it("stores page views (load, pushState, replaceState, back), forms, clicks, engagement and queued calls", async () => {
    const site = await collector.createSite("Marketing", ["127.0.0.1"]);
    const { page, close } = await browser();
    // Calls made before the snippet loads are replayed.
    const pre = encodeURIComponent(`foothold('group','acme.com',{plan:'pro'});foothold('track','Pricing Viewed',{tier:2})`);
    await page.goto(`${origin}/app?key=${site.write_key}&pre=${pre}`);
    await page.waitForFunction(() => typeof (window as { foothold?: { q?: unknown } }).foothold === "function");

    await page.evaluate(() => history.pushState({}, "", "/app/a"));
    await page.evaluate(() => history.replaceState({}, "", "/app/b"));
    // The same URL again and an anchor jump are not new pages.
    await page.evaluate(() => history.replaceState({}, "", location.href));
    await page.evaluate(() => (location.hash = "#pricing"));
    await page.goBack(); // popstate to /app/b#… is the same page; go back once more to /app
    await page.goBack();
    await page.waitForURL(/\/app(\?|$)/);

    await page.fill("#demo [name=email]", "jane@acme.com");
    await page.fill("#demo [name=company]", "Acme");
    await page.check("#demo [value=l]");
    await page.evaluate(() => (document.getElementById("demo") as HTMLFormElement).requestSubmit());
    await page.fill("[name=topic]", "pricing"); // started, never submitted
    await page.click("#out");
    await page.click("#mail"); // mailto: is neither outbound nor a download
    await page.click("#pdf");
    await page.mouse.wheel(0, 2000);
    await sleep(400);
    await page.goto(`${origin}/bye`); // pagehide: engagement and the abandoned form
    await sleep(300);
    await close();

    const rows = await stored(site.id, 14);
    const pages = rows.filter((r) => r.type === "page").map((r) => r.path);
    expect(pages).toEqual(["/app", "/app/a", "/app/b", "/app"]);
    const tracks = rows.filter((r) => r.type === "track");
    expect(tracks.map((r) => r.event).filter((e) => e !== "engagement").sort()).toEqual(
      ["Pricing Viewed", "download", "form_abandon", "form_start", "form_start", "form_submit", "outbound"],
    );
    expect(summary(rows)).toContain("group::/app");
    expect(rows.find((r) => r.type === "group")).toMatchObject({ group_id: "acme.com" });
    expect(props(tracks.find((r) => r.event === "Pricing Viewed")!)).toEqual({ tier: 2 });
    const submit = tracks.find((r) => r.event === "form_submit")!;
    expect(props(submit)).toEqual({ form: "demo", fields: ["email", "company", "size"] });
    expect(props(tracks.find((r) => r.event === "form_abandon")!)).toEqual({ form: "newsletter", fields: ["topic"] });
    expect(props(tracks.find((r) => r.event === "outbound")!)).toEqual({ url: "https://example.org/partners" });
    expect(props(tracks.find((r) => r.event === "download")!)).toEqual({ url: `${origin}/files/brochure.pdf` });
    const identify = rows.find((r) => r.type === "identify")!;
    expect(identify).toMatchObject({ email_domain: "acme.com" });
    // One visitor throughout.
    expect(new Set(rows.map((r) => r.anonymous_id)).size).toBe(1);
    // Engaged time and scroll depth reach the collector for the last page.
    const engagement = tracks.filter((r) => r.event === "engagement").map(props);
    expect(engagement.reduce((ms, p) => ms + Number(p.engaged_ms), 0)).toBeGreaterThan(300);
    expect(Math.max(...engagement.map((p) => Number(p.scroll_pct)))).toBeGreaterThan(50);
  });
});

describe("tracker back/forward cache", () => {
  it("counts a page restored from the back/forward cache as a new page view", async () => {
    const site = await collector.createSite("Bfcache", ["127.0.0.1"]);
    const { page, close } = await browser(`addEventListener("pageshow", (e) => { if (e.persisted) sessionStorage.restored = "yes" })`, { bfcache: true });
    await page.goto(`${origin}/plain?key=${site.write_key}`);
    await page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");
    await sleep(300);
    await page.goto(`${origin}/bye`);
    await page.goBack({ waitUntil: "commit" }); // a restore fires no load event
    await sleep(500);
    const restored = await page.evaluate(() => sessionStorage.restored);
    await page.goto(`${origin}/bye`);
    await sleep(300);
    await close();

    expect(restored, "Chromium restored the page from the bfcache").toBe("yes");
    const rows = await stored(site.id, 2);
    expect(rows.filter((r) => r.type === "page").map((r) => r.path)).toEqual(["/plain", "/plain"]);
  });
});

describe("tracker privacy and delivery in Chromium", () => {
  it("never sends a password, card number, hidden or ignored value; the email only from the submit", async () => {
    const site = await collector.createSite("Signup", ["127.0.0.1"]);
    const { page, bodies, close } = await browser();
    await page.goto(`${origin}/signup?key=${site.write_key}`);
    await page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");
    await page.fill("[name=work_email]", "jane.doe@acme.co.uk");
    await page.fill("[name=password]", "hunter2-Secret!");
    await page.fill("[name=card]", "4242424242424242");
    await page.fill("[name=notes]", "private-note-55");
    await page.fill("[name=role]", "CTO");
    await sleep(300);
    const beforeSubmit = bodies.length;
    await page.evaluate(() => (document.getElementById("signup") as HTMLFormElement).requestSubmit());
    await page.goto(`${origin}/bye`);
    await sleep(300);
    await close();

    const all = bodies.join("\n");
    for (const secret of ["hunter2-Secret!", "4242424242424242", "secret-token-77", "private-note-55", "CTO"]) expect(all).not.toContain(secret);
    expect(bodies.slice(0, beforeSubmit).join("\n")).not.toContain("jane.doe@acme.co.uk");
    expect(bodies.slice(beforeSubmit).join("\n")).toContain("jane.doe@acme.co.uk");

    const rows = await stored(site.id, 4);
    expect(rows.filter((r) => r.type === "track" && r.event !== "engagement").map((r) => [r.event, props(r)])).toEqual([
      // Field names only; the password, card, hidden and ignored fields are not even named.
      ["form_start", { form: "signup", fields: ["work_email", "role"] }],
      ["form_submit", { form: "signup", fields: ["work_email", "role"] }],
    ]);
    expect(rows.filter((r) => r.type === "identify")).toMatchObject([{ email_domain: "acme.co.uk" }]);
    expect(rows.some((r) => r.event === "form_abandon")).toBe(false);
  });

  it("keeps a page's events while the collector is down and delivers them once from the next page", async () => {
    const site = await collector.createSite("Flaky", ["127.0.0.1"]);
    const { page, bodies, close } = await browser();
    await page.goto(`${origin}/plain?key=${site.write_key}&api=${encodeURIComponent(deadEndpoint)}`);
    await page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");
    await page.evaluate(() => (window as unknown as { foothold: (...a: unknown[]) => void }).foothold("track", "Offline Click"));
    await sleep(300);
    const pending = await page.evaluate(() => JSON.parse(localStorage.fh_q ?? "[]").length);
    expect(pending).toBeGreaterThanOrEqual(2); // the page view and the click, kept for later
    await page.goto(`${origin}/app/second?key=${site.write_key}`); // collector reachable again
    await sleep(500);
    await page.evaluate(() => (window as unknown as { foothold: (...a: unknown[]) => void }).foothold("track", "Online Click"));
    await page.goto(`${origin}/bye`);
    await sleep(300);
    await close();

    const rows = await stored(site.id, 4);
    const count = (pred: (r: Row) => boolean) => rows.filter(pred).length;
    expect(count((r) => r.type === "page" && r.path === "/plain")).toBe(1);
    expect(count((r) => r.event === "Offline Click")).toBe(1);
    expect(count((r) => r.type === "page" && r.path === "/app/second")).toBe(1);
    expect(count((r) => r.event === "Online Click")).toBe(1);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(rows.length);
    expect(bodies.length).toBeGreaterThan(0);
  });

  it("sends nothing after foothold('optout'), on that page and the next", async () => {
    const site = await collector.createSite("OptOut", ["127.0.0.1"]);
    const { page, bodies, close } = await browser();
    const pre = encodeURIComponent("foothold('optout')");
    await page.goto(`${origin}/app?key=${site.write_key}&pre=${pre}`);
    await page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");
    await page.fill("#demo [name=email]", "jane@acme.com");
    await page.evaluate(() => (document.getElementById("demo") as HTMLFormElement).requestSubmit());
    await page.click("#out");
    await page.goto(`${origin}/plain?key=${site.write_key}`); // no optout call here: it was persisted
    await page.evaluate(() => (window as unknown as { foothold: (...a: unknown[]) => void }).foothold("track", "Ignored"));
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    await page.goto(`${origin}/bye`);
    await sleep(500);
    await close();

    expect(bodies).toEqual([]);
    expect(keys).toEqual(["fh_o"]); // the opt-out itself, no visitor id, no stored events
    expect(await stored(site.id, 0)).toEqual([]);
  });

  it("with Global Privacy Control stores nothing across loads and reads no email", async () => {
    const site = await collector.createSite("GPC", ["127.0.0.1"]);
    // Chromium has no GPC switch; the signal is what the page sees.
    const { page, context, close } = await browser(`Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })`);
    await page.goto(`${origin}/app?key=${site.write_key}`);
    await page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");
    await page.fill("#demo [name=email]", "jane@acme.com");
    await page.fill("#demo [name=company]", "Acme");
    await page.evaluate(() => (document.getElementById("demo") as HTMLFormElement).requestSubmit());
    await sleep(300);
    const afterFirst = await page.evaluate(() => Object.keys(localStorage));
    await page.goto(`${origin}/plain?key=${site.write_key}`);
    await sleep(300);
    const afterSecond = await page.evaluate(() => Object.keys(localStorage));
    await page.goto(`${origin}/bye`);
    await sleep(300);
    // The collector is first-party here (same host), yet sets no visitor cookie under GPC.
    const cookies = await context.cookies();
    await close();

    expect(afterFirst).toEqual([]);
    expect(afterSecond).toEqual([]);
    expect(cookies.map((c) => c.name)).toEqual([]);
    const rows = await stored(site.id, 4);
    expect(rows.filter((r) => r.type === "page").map((r) => r.path)).toEqual(["/app", "/plain"]);
    expect(rows.some((r) => r.event === "form_submit")).toBe(true);
    expect(rows.filter((r) => r.type === "identify")).toEqual([]);
    // Each load is a new, unlinkable visitor.
    const visitors = new Set(rows.filter((r) => r.type === "page").map((r) => r.anonymous_id));
    expect(visitors.size).toBe(2);
  });
});

describe("tracker bundle", () => {
  it("is served by GET /s.js with long-lived caching and an ETag", async () => {
    const r = await fetch(`${collector.url}/s.js`);
    expect(r.status).toBe(200);
    const code = await r.text();
    expect(code).toBe(await buildTracker());
    if (!process.env.FOOTHOLD_FAKE_COLLECTOR) {
      expect(r.headers.get("cache-control")).toMatch(/max-age=\d+/);
      const again = await fetch(`${collector.url}/s.js`, { headers: { "if-none-match": r.headers.get("etag") ?? "" } });
      expect(again.status).toBe(304);
    }
  });
});
