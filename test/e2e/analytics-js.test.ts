import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHmac } from "node:crypto";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_HASH_SECRET, startCollector, type Collector } from "./harness";

// Segment's own browser library, unchanged, on a page of ANOTHER origin (a local server on
// `localhost`, the collector on `127.0.0.1`), told by cdnSettings that the collector is its
// apiHost, as a Segment customer switching hosts would (no CDN fetch: there is no network here).

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let collector: Collector;
let server: Server;
let pageOrigin: string;
let writeKey: string;
let bundle: string;
const profiles: string[] = [];

beforeAll(async () => {
  collector = await startCollector();
  writeKey = (await collector.createSite("Marketing", ["localhost"])).write_key;
  // The real package, bundled for the page as a site's build would.
  const out = await build({
    stdin: { contents: `export { AnalyticsBrowser } from "@segment/analytics-next";`, resolveDir: path.resolve(import.meta.dirname, "../.."), loader: "js" },
    bundle: true,
    format: "iife",
    globalName: "AJS",
    platform: "browser",
    minify: true,
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  bundle = out.outputFiles[0].text;
  server = createServer((req, res) => {
    if (req.url === "/ajs.js") {
      res.writeHead(200, { "content-type": "application/javascript" });
      res.end(bundle);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><html><head><title>Pricing</title><script src="/ajs.js"></script></head><body><h1>Pricing</h1></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pageOrigin = `http://localhost:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await collector?.stop();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

async function browser(): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), "foothold-ajs-"));
  profiles.push(profile);
  // A person's browser: headless Chromium says "HeadlessChrome", which is (rightly) a bot.
  return chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, userAgent: CHROME });
}

interface Sent {
  ids: string[];
  failures: string[];
  crossOrigin: string[];
}

/** One visitor's page, track, identify and group through analytics.js; the messageIds it sent. */
async function visit(email: string, batching: boolean): Promise<Sent> {
  const context = await browser();
  const crossOrigin: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (r) => {
      if (r.url().startsWith(collector.url)) crossOrigin.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${pageOrigin}/pricing?utm_source=linkedin&utm_medium=paid`);
    const apiHost = `${new URL(collector.url).host}/v1`;
    return {
      ...(await page.evaluate(
        async ({ writeKey, apiHost, email, batching }) => {
          const w = window as unknown as { AJS: { AnalyticsBrowser: { load: (...a: unknown[]) => Promise<[Record<string, (...a: unknown[]) => Promise<{ event: { messageId: string } }>>]> } } };
          const failures: string[] = [];
          const [analytics] = await w.AJS.AnalyticsBrowser.load({
            writeKey,
            cdnSettings: {
              integrations: {
                "Segment.io": {
                  apiKey: writeKey,
                  apiHost,
                  protocol: "http",
                  ...(batching ? { deliveryStrategy: { strategy: "batching", config: { size: 10, timeout: 300 } } } : {}),
                },
              },
            },
          });
          (analytics as unknown as { on: (e: string, f: (x: unknown) => void) => void }).on("error", (e) => failures.push(JSON.stringify(e)));
          const ctxs = [
            await analytics.page("Pricing"),
            await analytics.track("Demo Requested", { plan: "enterprise" }),
            await analytics.identify(`u-${email.split("@")[0]}`, { email, plan: "enterprise" }),
            await analytics.group("acct_42", { name: "Acme Corp" }),
          ];
          return { ids: ctxs.map((c) => c.event.messageId), failures };
        },
        { writeKey, apiHost, email, batching },
      )),
      crossOrigin,
    };
  } finally {
    // Batched events leave on the timeout; give them the page's lifetime before it closes.
    if (batching) await new Promise((r) => setTimeout(r, 1_500));
    await context.close();
  }
}

const hmac = (email: string) => createHmac("sha256", E2E_HASH_SECRET).update(email).digest("hex");

describe("analytics.js (@segment/analytics-next) unchanged", () => {
  it("delivers page, track, identify and group, one request per call and batched, each exported once", async () => {
    const standard = await visit("jane@acme-corp.com", false);
    const batched = await visit("bob@acme-corp.com", true);
    expect(standard.failures).toEqual([]);
    expect(batched.failures).toEqual([]);
    // The default delivery posts to the short paths, the batching strategy to /v1/b.
    expect(new Set(standard.crossOrigin.filter((r) => r.startsWith("POST")))).toEqual(new Set(["POST /v1/p", "POST /v1/t", "POST /v1/i", "POST /v1/g"]));
    expect(new Set(batched.crossOrigin.filter((r) => r.startsWith("POST")))).toEqual(new Set(["POST /v1/b"]));

    const ids = [...standard.ids, ...batched.ids];
    const rows = await collector.exportEvents({ expect: 8, timeoutMs: 60_000 });
    // Every request the pages sent is handled by now (analytics.js retries included): each call once.
    const after = await collector.settled();
    expect(after.map((r) => r.message_id).sort()).toEqual([...ids].sort());
    expect(rows.map((r) => r.type).sort()).toEqual(["group", "group", "identify", "identify", "page", "page", "track", "track"]);

    const identify = after.find((r) => r.message_id === standard.ids[2])!;
    expect(identify).toMatchObject({ user_id: "u-jane", email_hash: hmac("jane@acme-corp.com"), email_domain: "acme-corp.com" });
    const pageView = after.find((r) => r.message_id === standard.ids[0])!;
    expect(pageView).toMatchObject({ type: "page", path: "/pricing", utm_source: "linkedin", utm_medium: "paid" });

    // Both identifies' business email resolved the visitors to the account (acct_42 names none).
    type Detail = { counts: { people: number; visitors: number }; people: { id: string }[]; visitors: { method: string }[] };
    let detail: Detail | undefined;
    for (let i = 0; i < 60; i++) {
      const r = await collector.api("/v1/accounts/acme-corp.com");
      if (r.status !== 200 && i === 59) throw new Error(`account: ${r.status} ${await r.text()}`);
      if (r.status === 200) {
        detail = (await r.json()) as Detail;
        if (detail.counts.people === 2) break;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(detail?.counts).toMatchObject({ people: 2, visitors: 2 });
    expect(detail?.people.map((p) => p.id).sort()).toEqual([hmac("bob@acme-corp.com"), hmac("jane@acme-corp.com")].sort());
    expect(detail?.visitors.map((v) => v.method)).toEqual(["email", "email"]);
  });
});
