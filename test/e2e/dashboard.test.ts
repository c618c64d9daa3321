import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS, SCORE_TEXT, seedScenario } from "./dashboard-scenario";
import { startCollector, type Collector } from "./harness";

// The dashboard in real headless Chromium against the collector in wrangler dev, seeded through
// the public API (test/e2e/dashboard-scenario.ts has the scenario and its numbers worked out).
// Assertions read the DOM; screenshots go to test/artifacts/ for a human to look at.

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WRONG_KEY = "fh_this_key_does_not_exist_0123456789";

let collector: Collector;
let readKey: string;
let writeKey: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const requests: Array<{ url: string; authorization: string | undefined }> = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  collector = await startCollector();
  ({ readKey, writeKey } = await seedScenario(collector));
  profile = mkdtempSync(path.join(tmpdir(), "foothold-dashboard-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1360, height: 900 } });
  context.on("request", (r) => requests.push({ url: r.url(), authorization: r.headers().authorization }));
  page = context.pages()[0] ?? (await context.newPage());
  // A Content-Security-Policy violation, or any script error, shows up here.
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await collector?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const cell = (domain: string, col: string) => page.locator(`#accounts-table tr[data-domain="${domain}"] td[data-col="${col}"]`);
const stat = (id: string) => page.locator(`[data-stat="${id}"] .stat-value`);
/** GET /v1/accounts/<domain> calls so far: the list draws its sparklines without any. */
const accountDetailCalls = () => requests.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith("/v1/accounts/"));

describe("dashboard", () => {
  it("refuses a wrong key with a sentence, and keeps the sign-in form", async () => {
    const response = await page.goto(`${collector.url}/dashboard`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.fill("#api-key", WRONG_KEY);
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator("#signin-error").textContent()).toContain("That API key was not accepted");
    expect(await page.locator("#signin-error").isVisible()).toBe(true);
    expect(await page.locator("#accounts-table").count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-signin-error.png") });
  });

  it("signs in and ranks Acme first with its numbers, a surging badge and a sparkline", async () => {
    await page.fill("#api-key", readKey);
    await page.click("button[type=submit]");
    await page.waitForSelector("#accounts-table");
    const first = page.locator("#accounts-table tbody tr").first();
    expect(await first.getAttribute("data-domain")).toBe("acme.com");
    expect(await first.locator(".account-link").textContent()).toBe("Acme");
    expect(await first.locator(".badge.surging").textContent()).toBe("Surging");
    expect(await cell("acme.com", "score").textContent()).toBe(SCORE_TEXT);
    expect(await cell("acme.com", "visitors").textContent()).toBe("2");
    expect(await cell("acme.com", "sessions").textContent()).toBe("4");
    expect(await cell("acme.com", "pageviews").textContent()).toBe("7");
    expect(await cell("acme.com", "form_submits").textContent()).toBe("1");
    // Only Acme surges; Globex and Initech have one quiet visit each.
    expect(await page.locator("#accounts-table .badge.surging").count()).toBe(1);
    expect(await page.locator("#accounts-table tbody tr").count()).toBe(3);
    // The sparkline's stated series: 30 days, with Acme's events on days −20 (1 page), −10 (2 pages,
    // identify), −3 (page, form submit, identify), −1 (3 pages).
    await page.waitForSelector('#accounts-table tr[data-domain="acme.com"] .spark canvas');
    const series = (await first.locator(".spark").getAttribute("aria-label"))!.replace("Daily events: ", "").split(", ").map(Number);
    expect(series).toHaveLength(30);
    expect(series.filter((n) => n > 0)).toEqual([1, 3, 3, 3]);
    // Every row's sparkline came with the one list request (series=daily), none from a per-row call.
    expect(await page.locator("#accounts-table tbody tr .spark canvas").count()).toBe(3);
    expect(accountDetailCalls()).toEqual([]);
    const lists = requests.map((r) => new URL(r.url)).filter((u) => u.pathname === "/v1/accounts" && u.searchParams.has("window"));
    expect(lists.length).toBeGreaterThan(0);
    for (const u of lists) expect(u.searchParams.get("series")).toBe("daily");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
  });

  it("filters by segment", async () => {
    await page.fill('input[name="segment"]', "customer");
    await page.press('input[name="segment"]', "Enter");
    await expect.poll(() => page.locator("#accounts-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-domain")))).toEqual(["initech.com"]);
    await page.fill('input[name="segment"]', "");
    await page.press('input[name="segment"]', "Enter");
    await expect.poll(() => page.locator("#accounts-table tbody tr .spark canvas").count()).toBe(3);
    expect(accountDetailCalls()).toEqual([]);
  });

  it("opens Acme: score components, people and the timeline with its won deal", async () => {
    await page.click('#accounts-table tr[data-domain="acme.com"] .account-link');
    await page.waitForSelector("#score-components");
    expect(await page.locator("#account-title").textContent()).toBe("Acme");
    expect(await stat("score").textContent()).toBe(SCORE_TEXT);
    expect(await stat("people").textContent()).toBe("2");
    expect(await stat("form_submits").textContent()).toBe("1");
    // Components, largest first: high-intent pages 6·2^(−10/14) + 6·2^(−1/14) = 3.66 + 5.71 = 9.37,
    // the form submit 10·2^(−3/14) = 8.62, other pages 2^(−20/14) + 2^(−3/14) + 2^(−1/14) = 2.19.
    const components = await page.locator("#score-components li .bar-label").allTextContents();
    expect(components).toEqual(["High-intent page views", "Form submits", "Page views"]);
    expect(await page.locator("#score-components li .num").allTextContents()).toEqual(["9.4", "8.6", "2.2"]);
    expect(await page.locator(".account-view table.compact").first().textContent()).toContain("someone@acme.com");
    await page.waitForSelector("#timeline");
    const moments = await page.locator("#timeline .what").allTextContents();
    expect(moments).toContain("Deal won $12,000.00");
    expect(moments.some((m) => m.startsWith("Visit via Paid Search"))).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-account.png"), fullPage: true });
  });

  it("shows revenue per visitor by channel, and the chart changes with the attribution model", async () => {
    await page.click('nav.tabs a[href="#/revenue"]');
    await page.waitForSelector("#revenue-chart canvas");
    const chart = page.locator("#revenue-chart");
    const perVisitor = (key: string) => page.locator(`#revenue-table tbody tr[data-key="${key}"] td`).last().textContent();
    // Linear: Acme's 12,000 over Paid, Organic, Email (4,000 each); Globex's 3,000 to Organic.
    expect(await perVisitor("Paid Search")).toBe("$4,000.00");
    expect(await perVisitor("Organic Search")).toBe("$3,500.00");
    const linear = await chart.getAttribute("aria-label");
    expect(linear).toContain("Paid Search: $4,000.00");
    expect(await page.locator("#revenue-total").textContent()).toBe("$15,000.00");

    await page.selectOption('select[name="model"]', "first_touch");
    await page.waitForSelector('#revenue-chart[data-model="first_touch"] canvas');
    expect(await page.locator("#revenue-chart").getAttribute("aria-label")).not.toBe(linear);
    expect(await page.locator("#revenue-chart").getAttribute("aria-label")).toContain("Paid Search: $12,000.00");
    expect(await perVisitor("Paid Search")).toBe("$12,000.00");
    expect(await perVisitor("Organic Search")).toBe("$1,500.00");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-revenue.png"), fullPage: true });
  });

  it("shows target coverage this quarter against last", async () => {
    await page.click('nav.tabs a[href="#/coverage"]');
    await page.waitForSelector('[data-period="current"]');
    // Target accounts: Acme, Globex, Hooli; Acme and Globex engaged: 2 / 3 = 66.7%.
    expect(await page.locator('[data-period="current"] .coverage-share').textContent()).toBe("66.7%");
    expect(await page.locator('[data-period="current"]').textContent()).toContain("2 of 3 accounts engaged");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-coverage.png") });
  });

  it("explains that a read-only key cannot list sites, and still shows the snippet", async () => {
    await page.click('nav.tabs a[href="#/snippet"]');
    await page.waitForSelector(".code");
    expect(await page.locator(".state.notice").textContent()).toContain("needs an admin key");
    expect(await page.locator(".code code").textContent()).toBe(`<script defer src="${collector.url}/s.js" data-key="WRITE_KEY"></script>`);
  });

  it("tells a read-only key that erasures need an admin key", async () => {
    await page.click('nav.tabs a[href="#/erasures"]');
    await page.waitForSelector(".state.notice");
    expect(await page.locator(".state.notice").textContent()).toContain("Erasures need an admin key");
    expect(await page.locator(".erase-form").isVisible()).toBe(false);
    // Back where the next test signs out from.
    await page.click('nav.tabs a[href="#/snippet"]');
    await page.waitForSelector(".code");
  });

  it("signs out, and an admin key shows the site's snippet with its write key", async () => {
    await page.click("#sign-out");
    await page.waitForSelector("#api-key");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.fill("#api-key", collector.adminToken);
    await page.click("button[type=submit]");
    await page.waitForSelector(".site .code");
    expect(await page.locator(".site h2").textContent()).toBe("Marketing site");
    expect(await page.locator(".site .code code").textContent()).toBe(`<script defer src="${collector.url}/s.js" data-key="${writeKey}"></script>`);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-snippet.png") });
  });

  it("shows D1's size, the last day's events and changes retention, as an admin", async () => {
    await page.click('nav.tabs a[href="#/status"]');
    await page.waitForSelector('[data-stat="events"]');
    // Every event of the scenario arrived today.
    expect(await page.locator('[data-stat="events"] .stat-value').textContent()).toBe(String(EVENTS.length));
    expect(await page.locator('[data-card="d1"] .stat-value').textContent()).toMatch(/^\d+\.\d MB of 10 GB$/);
    expect(await page.locator('[data-stat="export"] .stat-value').textContent()).toBe("never");
    await page.fill("input[name=raw_days]", "400");
    await page.click("form[aria-label=Retention] button[type=submit]");
    await page.waitForFunction(() => document.querySelector("form[aria-label=Retention] [role=status]")?.textContent?.startsWith("Saved"));
    expect(await (await collector.api("/v1/settings/retention")).json()).toEqual({ dedupe_days: 35, raw_days: 400, rollup_days: 761 });
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-status.png") });
  });

  it("erases a person from the Erasures page, in two steps, and lists the erasure until it is done", async () => {
    await page.click('nav.tabs a[href="#/erasures"]');
    await page.waitForSelector(".erase-form");
    expect(await page.locator(".state.empty").textContent()).toContain("No erasures yet.");
    await page.fill('input[name="erase-value"]', "dan@initech.com");
    await page.click("#erase-start");
    // Nothing is erased until the second click.
    expect(await page.locator(".erase-message").textContent()).toBe("Erase everything of the person with email dan@initech.com?");
    await page.click("#erase-confirm");
    const row = page.locator('table.erasures tr[data-status="done"]');
    await row.waitFor({ timeout: 60_000 });
    // Dan (i1): a page view and an identify, his browser and his person.
    const cells = await row.locator("td").allTextContents();
    expect([cells[1], cells[2], cells[3], cells[4], cells[6], cells[7], cells[8]]).toEqual(["email", "admin", "done", "2", "1", "1", "0"]);
    expect(await page.locator('input[name="erase-value"]').inputValue()).toBe("");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-erasures.png"), fullPage: true });
  });

  it("never put a key in a URL, and sent it as a bearer token", () => {
    expect(requests.length).toBeGreaterThan(10);
    const keys = [readKey, WRONG_KEY, collector.adminToken];
    for (const r of requests) for (const k of [...keys, "dan@initech.com", "dan%40initech.com"]) expect(r.url).not.toContain(k);
    const api = requests.filter((r) => new URL(r.url).pathname.startsWith("/v1/"));
    expect(api.every((r) => keys.some((k) => r.authorization === `Bearer ${k}`))).toBe(true);
    // The ranking is read a page at a time, never whole (usable at 10,000 accounts).
    const lists = api.map((r) => new URL(r.url)).filter((u) => u.pathname === "/v1/accounts");
    expect(lists.length).toBeGreaterThan(2);
    for (const u of lists) expect(Number(u.searchParams.get("limit"))).toBeLessThanOrEqual(25);
  });

  it("ran under its strict Content-Security-Policy without a violation or a script error", () => {
    // The wrong-key sign-in and the read-only /v1/sites answer 401/403 on purpose; the browser logs those.
    const unexpected = consoleErrors.filter((m) => !/status of 40[13]/.test(m));
    expect(unexpected).toEqual([]);
  });
});
