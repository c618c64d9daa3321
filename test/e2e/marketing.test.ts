import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../cli/build.mjs";
import { runCli } from "./cli-runner";
import { startCollector, type Collector } from "./harness";
import { dayOf, seedMarketing, SPEND_CSV } from "./marketing-scenario";

// Spend in through the real `foothold` binary, then the Campaigns and Content pages and the deal
// journeys in headless Chromium against the collector in wrangler dev. The scenario and every
// figure asserted here are worked out in test/e2e/marketing-scenario.ts. Assertions read the DOM;
// screenshots go to test/artifacts/.

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let collector: Collector;
let readKey: string;
let cli: string;
let dir: string;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  cli = await buildCli();
  collector = await startCollector();
  ({ readKey } = await seedMarketing(collector));
  dir = mkdtempSync(path.join(tmpdir(), "foothold-marketing-"));
  context = await chromium.launchPersistentContext(path.join(dir, "profile"), { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1360, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await collector?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const foothold = (args: string[]) => runCli(cli, args, { FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: collector.adminToken });

const cell = (table: string, key: string, col: string) => page.locator(`#${table} tr[data-key="${key}"] td[data-col="${col}"]`);
const stat = (id: string) => page.locator(`[data-stat="${id}"] .stat-value`);

describe("spend from the CLI", () => {
  it("imports the spend CSV in chunks, names the refused row, and exits 3", async () => {
    const file = path.join(dir, "spend.csv");
    writeFileSync(file, SPEND_CSV);
    const r = await foothold(["import", "spend", file, "--chunk", "2"]);
    expect(r.stdout).toContain(`Imported spend from ${file}: 3 created, 0 updated, 1 refused.`);
    // Row 4 names a campaign only: nothing to classify a channel from.
    expect(r.stdout).toContain(`row 4 (date: ${dayOf(56)}): \`channel\` is required unless \`source\` or \`medium\` say where the ads ran.`);
    expect(r.stderr).toContain("100% 4/4 rows");
    expect(r.code).toBe(3);
  });

  it("prints the campaigns with spend, engaged accounts and ROAS", async () => {
    const r = await foothold(["campaigns", "--segment", "target", "--window", "90d"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/spring\s+google \/ cpc\s+1,500\.00 USD\s+2\s+2\s+1\s+750\.00 USD\s+12,000\.00 USD\s+12,000\.00 USD\s+8\.00/);
    expect(r.stdout).toMatch(/summer\s+linkedin \/ paid_social\s+800\.00 USD\s+1\s+0\s+0\s+—\s+0\.00 USD\s+0\.00 USD\s+0\.00/);
    expect(r.stdout).toContain("Total: 2,300.00 USD spent, 12,000.00 USD pipeline, 12,000.00 USD revenue, ROAS 5.22.");
  });
});

describe("dashboard: campaigns, content, journeys", () => {
  it("shows each campaign's spend against pipeline and revenue, ROAS and engaged target accounts", async () => {
    await page.goto(`${collector.url}/dashboard#/campaigns`);
    await page.fill("#api-key", readKey);
    await page.click("button[type=submit]");
    await page.waitForSelector("#campaigns-table");
    expect(await page.locator("#campaigns-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual(["spring", "summer"]);
    const spring = (col: string) => cell("campaigns-table", "spring", col).textContent();
    expect([await spring("spend"), await spring("engaged"), await spring("new"), await spring("per_engaged"), await spring("pipeline"), await spring("revenue"), await spring("roas")])
      .toEqual(["$1,500.00", "2", "1", "$750.00", "$12,000.00", "$12,000.00", "8.00×"]);
    expect(await cell("campaigns-table", "summer", "roas").textContent()).toBe("0.00×");
    expect(await cell("campaigns-table", "summer", "engaged").textContent()).toBe("0");
    expect(await stat("spend").textContent()).toBe("$2,300.00");
    expect(await stat("roas").textContent()).toBe("5.22×");
    expect(await page.locator("#campaigns-chart").getAttribute("aria-label")).toContain("spring: spend $1,500.00, pipeline $12,000.00, revenue $12,000.00");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-campaigns.png"), fullPage: true });

    // Every account, not only targets: Initech (a customer) is summer's engaged account, newly.
    await page.fill('input[name="campaigns-segment"]', "");
    await page.press('input[name="campaigns-segment"]', "Enter");
    await expect.poll(() => cell("campaigns-table", "summer", "engaged").textContent()).toBe("1");
    expect(await cell("campaigns-table", "summer", "per_engaged").textContent()).toBe("$800.00");
  });

  it("ranks pages by influenced revenue, leaves out a page viewed after the close, and opens a deal's journey", async () => {
    await page.click('nav.tabs a[href="#/content"]');
    await page.waitForSelector("#content-table");
    const keys = await page.locator("#content-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
    expect(keys.slice(0, 6)).toEqual(["/landing", "/pricing", "/case-study", "/features", "/", "/blog"]);
    expect(await cell("content-table", "/landing", "influenced_revenue").textContent()).toBe("$17,000.00");
    expect(await cell("content-table", "/landing", "influenced_deals").textContent()).toBe("2");
    expect(await cell("content-table", "/landing", "attributed_revenue").textContent()).toBe("$6,000.00");
    expect(await cell("content-table", "/careers", "influenced_revenue").textContent()).toBe("$0.00");
    expect(await cell("content-table", "/landing", "deals").locator("a").allTextContents()).toEqual(["A-1", "G-1"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-content.png"), fullPage: true });

    await cell("content-table", "/landing", "deals").locator("a", { hasText: "A-1" }).click();
    await page.waitForSelector("#journey-events");
    expect(await page.locator("#deal-title").textContent()).toBe("A-1 · $12,000.00");
    expect(await stat("days_to_close").textContent()).toBe("15.1");
    expect(await stat("touches").textContent()).toBe("3");
    expect(await stat("people").textContent()).toBe("1");
    expect(await page.locator("#journey-channels li").allTextContents()).toEqual(["Paid Search", "Organic Search", "Direct"]);
    expect(await page.locator("#journey-events .what").allTextContents()).toEqual(["Viewed /landing", "Viewed /features", "Viewed /pricing", "Viewed /case-study"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-journey.png"), fullPage: true });
  });

  it("opens a deal's journey from the account timeline: two sessions over 30 days by one person", async () => {
    await page.goto(`${collector.url}/dashboard#/accounts/hooli.com`);
    await page.waitForSelector("#timeline .deal-link");
    await page.locator("#timeline .deal-link", { hasText: "Deal won $3,000.00" }).click();
    await expect.poll(() => page.locator("#deal-title").textContent()).toBe("H-1 · $3,000.00");
    expect(await stat("days_to_close").textContent()).toBe("30");
    expect(await stat("touches").textContent()).toBe("2");
    expect(await stat("people").textContent()).toBe("1");
    const events = await page.locator("#journey-events .what").allTextContents();
    expect(events.slice(0, 2)).toEqual(["Viewed /blog", "Viewed /pricing"]);
    expect(events[2]).toContain("Submitted form demo-request");
    expect(await page.locator('#journey-events li[data-kind="form_submit"]').count()).toBe(1);
  });

  it("shows the revenue report's journey medians and, for groups with spend, spend and ROAS", async () => {
    await page.click('nav.tabs a[href="#/revenue"]');
    await page.waitForSelector("#revenue-table");
    // Won deals A-1 15.1 days / 3 touches, H-1 30 / 2, G-1 54.6 / 2 → medians 30 days, 2 touches.
    expect(await stat("median-days").textContent()).toBe("30");
    expect(await stat("median-touches").textContent()).toBe("2");
    // Linear by channel: Paid Search has spring's 1,500 of spend.
    const paid = await page.locator('#revenue-table tbody tr[data-key="Paid Search"] td').allTextContents();
    expect(paid).toContain("$1,500.00");
  });

  it("ran under its strict Content-Security-Policy without a violation or a script error", () => {
    expect(consoleErrors).toEqual([]);
  });
});
