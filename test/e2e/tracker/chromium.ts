import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { Collector } from "../harness";

// Headless Chromium for the tracker's browser tests: a fresh profile each time (storage and
// cookies start empty), with every POST /e body kept as the browser sent it.

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  page: Page;
  context: BrowserContext;
  /** bodies of every POST /e, in the order sent */
  bodies: string[];
  /** POST /e requests that failed in the browser (network error, keepalive quota, CORS) */
  failed: string[];
  close(): Promise<void>;
}

export async function openBrowser(init?: string, opts: { bfcache?: boolean; userAgent?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), "foothold-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // A user agent for the whole browser, not Playwright's per-page override: requests a page
    // sends while it unloads (keepalive) would go out with the default one.
    args: [...FLAGS, ...(opts.userAgent ? [`--user-agent=${opts.userAgent}`] : [])],
    // Playwright turns the back/forward cache off by default.
    ignoreDefaultArgs: opts.bfcache ? ["--disable-back-forward-cache"] : [],
  });
  const bodies: string[] = [];
  const failed: string[] = [];
  const isEvents = (url: string) => new URL(url).pathname === "/e";
  context.on("request", (r) => {
    if (r.method() === "POST" && isEvents(r.url())) bodies.push(r.postData() ?? "");
  });
  context.on("requestfailed", (r) => {
    if (r.method() === "POST" && isEvents(r.url())) failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  if (process.env.DEBUG_TRACKER) {
    context.on("response", async (r) => { if (isEvents(r.url())) console.log("RESP", r.status(), await r.text().catch(() => "")); });
    context.on("console", (m) => console.log("CONSOLE", m.text()));
  }
  if (init) await context.addInitScript(init);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    bodies,
    failed,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Row = Record<string, unknown>;

/** The site's stored events once `count` arrived, plus a second to show nothing more (no duplicates) comes. */
export async function storedEvents(collector: Collector, siteId: string, count: number): Promise<Row[]> {
  const deadline = Date.now() + 30_000;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = (await collector.exportEvents({ expect: 0 })).filter((r) => r.site_id === siteId);
    if (rows.length >= count) break;
    await sleep(250);
  }
  await sleep(1_000);
  return (await collector.exportEvents({ expect: 0 })).filter((r) => r.site_id === siteId);
}

/** Waits until the snippet is running on the page. */
export const snippetLoaded = (page: Page) => page.waitForFunction(() => typeof (window as { foothold?: unknown }).foothold === "function");

/** Waits until the collector has answered for every event the page recorded (the retry store is empty). */
export const delivered = (page: Page) => page.waitForFunction(() => localStorage.fh_q === "[]", undefined, { timeout: 30_000 });

/** foothold(...) on the page. */
export const foothold = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as { foothold: (...x: unknown[]) => void }).foothold(...a), args);
