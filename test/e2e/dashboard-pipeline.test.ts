import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "./harness";
import { dayAgo, seedPipelineScenario } from "./pipeline-scenario";

// The Pipeline and Funnel pages in real headless Chromium against the collector in wrangler dev,
// seeded through the public API (test/e2e/pipeline-scenario.ts has the scenario and its numbers
// worked out). Assertions read the DOM; screenshots go to test/artifacts/.

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let collector: Collector;
let readKey: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  collector = await startCollector();
  ({ readKey } = await seedPipelineScenario(collector));
  profile = mkdtempSync(path.join(tmpdir(), "foothold-dashboard-pipeline-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1360, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(`${collector.url}/dashboard`);
  await page.fill("#api-key", readKey);
  await page.click("button[type=submit]");
  await page.waitForSelector("#accounts-table");
});

afterAll(async () => {
  await context?.close();
  await collector?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** key → [deals, pipeline, won deals, won revenue] as the pipeline table shows them */
async function pipelineTable(): Promise<Record<string, string[]>> {
  const rows = await page.locator("#pipeline-table tr[data-key]").evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-key"), Array.from(tr.querySelectorAll("td.num")).map((td) => td.textContent)]));
  return Object.fromEntries(rows as [string, string[]][]);
}

const stage = (table: string, name: string, col: string) => page.locator(`${table} tr[data-stage="${name}"] td[data-col="${col}"]`).textContent();

describe("dashboard: pipeline", () => {
  it("shows pipeline by channel under first touch, with the won part stacked in the chart", async () => {
    await page.click('nav.tabs a[href="#/pipeline"]');
    await page.waitForSelector('#pipeline-chart[data-model="first_touch"] canvas');
    expect(await pipelineTable()).toEqual({
      "Paid Search": ["2", "$25,000.00", "1", "$20,000.00"],
      Email: ["1", "$8,000.00", "0", "$0.00"],
      Total: ["3", "$33,000.00", "1", "$20,000.00"],
    });
    expect(await page.locator("#pipeline-total").textContent()).toBe("$33,000.00");
    expect(await page.locator("#pipeline-won").textContent()).toBe("$20,000.00");
    expect(await page.locator("#pipeline-chart").getAttribute("aria-label")).toBe("Paid Search: $25,000.00 pipeline, $20,000.00 won; Email: $8,000.00 pipeline, $0.00 won");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-pipeline.png"), fullPage: true });
  });

  it("changes with the model picker: linear splits each deal over its account's sessions", async () => {
    await page.selectOption('select[name="pipeline-model"]', "linear");
    await page.waitForSelector('#pipeline-chart[data-model="linear"] canvas');
    expect(await pipelineTable()).toEqual({
      "Paid Search": ["1", "$12,500.00", "0.50", "$10,000.00"],
      "Organic Search": ["1", "$12,500.00", "0.50", "$10,000.00"],
      Direct: ["0.50", "$4,000.00", "0", "$0.00"],
      Email: ["0.50", "$4,000.00", "0", "$0.00"],
      Total: ["3", "$33,000.00", "1", "$20,000.00"],
    });
    await page.selectOption('select[name="pipeline-by"]', "campaign");
    await page.waitForSelector('#pipeline-chart[data-by="campaign"] canvas');
    // Linear, by campaign: a1's day −40 session (brand) has ½ of A-1 and A-2, 12,500; its day −20
    // session and g1's day −12 (no campaign) 12,500 + 4,000 = 16,500; g1's day −15 (may) 4,000.
    const campaigns = await pipelineTable();
    expect(Object.keys(campaigns)).toEqual(["(none)", "brand", "may", "Total"]);
    expect(campaigns["(none)"]).toEqual(["1.50", "$16,500.00", "0.50", "$10,000.00"]);
    await page.selectOption('select[name="pipeline-model"]', "first_touch");
    await page.selectOption('select[name="pipeline-by"]', "channel");
    await page.waitForSelector('#pipeline-chart[data-model="first_touch"][data-by="channel"] canvas');
  });
});

describe("dashboard: funnel", () => {
  it("shows the stages with counts, rates and median days", async () => {
    await page.click('nav.tabs a[href="#/funnel"]');
    await page.waitForSelector("#funnel-table");
    const rows = await page.locator("#funnel-table tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).filter((td) => !td.classList.contains("bar-cell")).map((td) => td.textContent)));
    expect(rows).toEqual([
      ["Visitors", "4", "—", "—"],
      ["Leads", "3", "75.0%", "3.0 days"],
      ["Opportunities", "3", "100.0%", "6.6 days"],
      ["Customers", "1", "33.3%", "8.0 days"],
    ]);
    await page.selectOption('select[name="funnel-by"]', "channel");
    await page.waitForSelector("#funnel-groups");
    const groups = await page.locator("#funnel-groups tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-key"), ...Array.from(tr.querySelectorAll("td[data-stage]")).map((td) => td.firstChild?.textContent)]));
    expect(groups).toEqual([["Direct", "2", "1", "0", "0"], ["Paid Search", "1", "1", "2", "1"], ["Email", "1", "1", "1", "0"]]);
  });

  it("shows customers this quarter against last", async () => {
    await page.waitForSelector("#customers-card");
    const figure = (period: string, key: string) => page.locator(`[data-period="${period}"] [data-figure="${key}"] dd`).textContent();
    // A-1 (Acme's first win, $20,000) closed at the start of day −2: this quarter, unless that day is in the last one.
    const now = new Date();
    const quarterStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (now.getUTCMonth() % 3), 1)).toISOString().slice(0, 10);
    const won = dayAgo(2) >= quarterStart ? "current" : "previous";
    const other = won === "current" ? "previous" : "current";
    expect(await figure(won, "customers")).toBe("1");
    expect(await figure(won, "new_customers")).toBe("1");
    expect(await figure(won, "won_revenue")).toBe("$20,000.00");
    expect(await figure(won, "new_business_revenue")).toBe("$20,000.00");
    expect(await figure(won, "expansion_revenue")).toBe("$0.00");
    expect(await figure(won, "revenue_per_customer")).toBe("$20,000.00");
    // The other period: no win in it; Acme is a customer in it only if it is the later one.
    expect(await figure(other, "customers")).toBe(other === "current" ? "1" : "0");
    expect(await figure(other, "new_customers")).toBe("0");
    expect(await figure(other, "revenue_per_customer")).toBe("—");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-funnel.png"), fullPage: true });
  });

  it("plans backwards as the form is filled in: measured rates, then the annual-plan example", async () => {
    await page.waitForSelector('#plan-table[data-rates="measured"]');
    // 10,000,000 / 1,100,000 = 9.09 customers a year; ÷ 33.3% = 27.3 opportunities; ÷ 100% = 27.3 leads; ÷ 75% = 36.4 visitors (3.03 a month)
    expect(await stage("#plan-table", "customers", "per_period")).toBe("9.09");
    expect(await stage("#plan-table", "customers", "per_month")).toBe("0.758");
    expect(await stage("#plan-table", "leads", "rate")).toBe("75.0%");
    expect(await stage("#plan-table", "opportunities", "rate")).toBe("100.0%");
    expect(await stage("#plan-table", "customers", "rate")).toBe("33.3%");
    expect(await stage("#plan-table", "visitors", "per_period")).toBe("36.4");
    expect(await stage("#plan-table", "visitors", "per_month")).toBe("3.03");

    await page.fill('input[name="plan-stages"]', "visits,leads,mqls,sqls,opportunities,customers");
    await page.fill('input[name="plan-rates"]', "1.5%,20%,20%,40%,50%");
    await page.waitForSelector('#plan-table[data-rates="given"] tr[data-stage="mqls"]');
    // 9.09 ÷ 50% = 18.2 opportunities; ÷ 40% = 45.5 sqls; ÷ 20% = 227 mqls; ÷ 20% = 1,136 leads; ÷ 1.5% = 75,758 visits, 6,313 a month
    expect(await stage("#plan-table", "visits", "per_period")).toBe("75,758");
    expect(await stage("#plan-table", "visits", "per_month")).toBe("6,313");
    expect(await stage("#plan-table", "leads", "per_period")).toBe("1,136");
    expect(await stage("#plan-table", "customers", "per_month")).toBe("0.758");

    // A quarterly goal of the same revenue needs four times as much a month.
    await page.selectOption('select[name="plan-per"]', "quarter");
    await expect.poll(() => stage("#plan-table", "visits", "per_month")).toBe("25,253");

    await page.fill('input[name="plan-rates"]', "1.5%,20%");
    await expect.poll(() => page.locator("#plan-result .plan-error").textContent()).toContain("`rates` must give 5 rates for 6 stages");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-plan.png"), fullPage: true });
  });

  it("shows each deal's type on the account timeline", async () => {
    await page.goto(`${collector.url}/dashboard#/accounts/acme.com`);
    await page.waitForSelector("#timeline");
    // A-1 is Acme's first win; A-2 was opened (day −4) before that win closed (day −2): both new business.
    expect(await page.locator("#timeline li.deal_closed .deal-type").allTextContents()).toEqual(["new business"]);
    expect(await page.locator("#timeline li.deal_created .deal-type").allTextContents()).toEqual(["new business", "new business"]);
  });

  it("ran without a script error or a Content-Security-Policy violation", () => {
    // The half-filled rates answered 400 on purpose; the browser logs that.
    expect(consoleErrors.filter((m) => !/status of 400/.test(m))).toEqual([]);
  });
});
