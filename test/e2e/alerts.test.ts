import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../cli/build.mjs";
import { runCli } from "./cli-runner";
import { SlackWebhookMessage } from "../fixtures/slack-block-kit";
import { startCollector, type Collector } from "./harness";

// Alerts end to end: events through the Segment API into `wrangler dev` (real local queues and
// D1), alerts out through the `foothold-alerts` queue to a real HTTP receiver on this machine.
// The retry schedule's first two delays are shortened to 1 s with the documented
// ALERT_RETRY_SECONDS var (the real 10 s, 30 s, … are checked in test/unit/signals/schedule.test.ts);
// `--test-scheduled` exposes the hourly job at /__scheduled. Then the CLI and the dashboard's
// Alerts page against the same collector.

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver on 127.0.0.1: each path answers its scripted statuses in turn (the last repeats), 200 by default. */
function startReceiver(script: Record<string, number[]>): Promise<{ url: string; got: Received[]; on(path: string): Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const p = req.url ?? "/";
      got.push({ path: p, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const statuses = script[p] ?? [200];
      const seen = got.filter((g) => g.path === p).length;
      const status = statuses[Math.min(seen - 1, statuses.length - 1)];
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "try later");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, got, on: (p) => got.filter((g) => g.path === p), close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to a minute) until `ready()` holds; a wait, not a timing assertion. */
async function until<T>(what: string, ready: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await ready();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

let collector: Collector;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let site: { id: string; write_key: string };
let sent = 0;
let n = 0;

beforeAll(async () => {
  receiver = await startReceiver({ "/flaky": [500, 500, 200] });
  collector = await startCollector({ vars: { ALERT_RETRY_SECONDS: "1,1" }, args: ["--test-scheduled"] });
  site = await collector.createSite("Marketing", ["example.com"]);
  const r = await collector.api("/v1/accounts", {
    method: "PUT", headers: { "content-type": "application/json" },
    body: JSON.stringify([{ domain: "acme.com", name: "Acme", segment: "target" }, { domain: "globex.com", name: "Globex" }]),
  });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
});

const now = () => new Date().toISOString();
const page = (anon: string, p: string) => ({ type: "page", messageId: `e2e-al-${++n}`, anonymousId: anon, timestamp: now(), properties: { url: `https://example.com${p}`, path: p } });
const identify = (anon: string, email: string) => ({ type: "identify", messageId: `e2e-al-${++n}`, anonymousId: anon, timestamp: now(), traits: { email } });

/** Sends through the Segment API and waits until the consumer has committed everything sent so far. */
async function send(batch: object[], userAgent = CHROME): Promise<void> {
  const r = await fetch(`${collector.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${site.write_key}:`).toString("base64")}`, "user-agent": userAgent },
    body: JSON.stringify({ batch }),
  });
  expect(r.status).toBe(200);
  sent += batch.length;
  expect(await collector.exportEvents({ expect: sent })).toHaveLength(sent);
}

async function createRule(body: object): Promise<{ id: string; secret: string }> {
  const r = await collector.api("/v1/alerts", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(r.status).toBe(201);
  return (await r.json()) as { id: string; secret: string };
}

type Delivery = { id: string; status: string; attempts: number; last_error: string | null; kind: string; account: string | null };
async function deliveries(id: string): Promise<Delivery[]> {
  const r = await collector.api(`/v1/alerts/${id}/deliveries`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { deliveries: Delivery[] }).deliveries;
}

let pricing: { id: string; secret: string };
let surge: { id: string; secret: string };

describe("alerts to a real receiver", () => {
  it("sends exactly one signed alert naming the account when a target account's visitor reads /pricing/enterprise", async () => {
    pricing = await createRule({ name: "Pricing by targets", when: { kind: "page_view", path: "/pricing*", segment: "target" }, url: `${receiver.url}/pricing` });
    surge = await createRule({ name: "Surging accounts", when: { kind: "surging" }, url: `${receiver.url}/surge` });
    await send([identify("e2e-alice", "alice@acme.com"), page("e2e-alice", "/pricing/enterprise")]);

    const [post] = await until("the pricing alert", () => (receiver.on("/pricing").length ? receiver.on("/pricing") : undefined));
    expect(post.headers["content-type"]).toBe("application/json");
    // The receiver checks the signature with the secret it was given once.
    expect(post.headers["x-foothold-signature"]).toBe(sign(pricing.secret, post.body));
    const body = JSON.parse(post.body);
    expect(post.headers["x-foothold-delivery"]).toBe(body.id);
    // Acme's score: one /pricing view today, a high-intent page: weight 3.
    expect(body).toMatchObject({
      alert: pricing.id, kind: "page_view",
      account: { domain: "acme.com", name: "Acme", segment: "target", score: 3, surging: false },
      person: { email_hash: createHmac("sha256", "e2e-hash-secret").update("alice@acme.com").digest("hex"), email_domain: "acme.com" },
      page: { path: "/pricing/enterprise", url: "https://example.com/pricing/enterprise" },
      dashboard_url: `${collector.url}/dashboard#/accounts/acme.com`,
    });
    await until("the delivery to be recorded", async () => (await deliveries(pricing.id))[0]?.status === "delivered");
    expect(await deliveries(pricing.id)).toMatchObject([{ id: body.id, status: "delivered", attempts: 1, last_error: null, kind: "page_view", account: "acme.com" }]);
  });

  it("sends nothing for a second view inside the cooldown, a personal-mail visitor or a crawler", async () => {
    await send([page("e2e-alice", "/pricing")]);
    await send([identify("e2e-bob", "bob@gmail.com"), page("e2e-bob", "/pricing/enterprise")]);
    await send([identify("e2e-crawler", "carol@acme.com"), page("e2e-crawler", "/pricing/enterprise")], GOOGLEBOT);
    // A firing's delivery row commits with its events, which are all stored by now: none was made.
    expect(await deliveries(pricing.id)).toHaveLength(1);
    expect(receiver.on("/pricing")).toHaveLength(1);
  });

  it("retries a receiver that answers 500 twice, with the same delivery id each time, and lists the attempts", async () => {
    const flaky = await createRule({ name: "Demo page", when: { kind: "page_view", path: "/demo" }, url: `${receiver.url}/flaky` });
    await send([page("e2e-alice", "/demo")]);
    const posts = await until("three attempts", () => (receiver.on("/flaky").length >= 3 ? receiver.on("/flaky") : undefined));
    expect(posts).toHaveLength(3);
    const ids = new Set(posts.map((p) => p.headers["x-foothold-delivery"]));
    expect(ids.size).toBe(1);
    expect(new Set(posts.map((p) => p.body)).size).toBe(1);
    for (const p of posts) expect(p.headers["x-foothold-signature"]).toBe(sign(flaky.secret, p.body));
    await until("the delivery to be recorded", async () => (await deliveries(flaky.id))[0]?.status === "delivered");
    expect(await deliveries(flaky.id)).toMatchObject([{ id: [...ids][0], status: "delivered", attempts: 3, last_error: "HTTP 500: try later" }]);
  });

  it("fires surging once, from the scheduled check, when an account starts surging", async () => {
    // Erin of Globex: five page views today, none before.
    await send([identify("e2e-erin", "erin@globex.com"), ...["/", "/product", "/customers", "/docs", "/blog"].map((p) => page("e2e-erin", p))]);
    expect(await deliveries(surge.id)).toEqual([]);
    const cron = async () => expect((await fetch(`${collector.url}/__scheduled?cron=7+*+*+*+*`)).status).toBe(200);
    await cron();
    const [post] = await until("the surge alert", () => (receiver.on("/surge").length ? receiver.on("/surge") : undefined));
    expect(post.headers["x-foothold-signature"]).toBe(sign(surge.secret, post.body));
    // Globex: five ordinary page views today (weight 1 each); Acme, with three, does not surge.
    expect(JSON.parse(post.body)).toMatchObject({ alert: surge.id, kind: "surging", account: { domain: "globex.com", name: "Globex", segment: null, score: 5, surging: true } });
    await cron();
    expect((await deliveries(surge.id)).map((d) => [d.kind, d.account])).toEqual([["surging", "globex.com"]]);
  });
});

const foothold = (cli: string, args: string[]) => runCli(cli, args, { FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: collector.adminToken });

describe("foothold alerts (CLI)", () => {
  it("creates a rule, lists it, sends a test and lists its deliveries", async () => {
    const cli = await buildCli();
    const created = await foothold(cli, ["alerts", "create", "Contact forms", "--kind", "form_submit", "--path", "/contact*", "--segment", "target", "--receiver", `${receiver.url}/cli`, "--cooldown", "12"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const id = /\((alert_[0-9a-f-]+)\)/.exec(created.stdout)![1];
    const secret = /Signing secret \(shown once\): (whsec_\S+)/.exec(created.stdout)![1];
    expect(created.stdout).toContain(`: form_submit /contact* (target) → ${receiver.url}/cli as json, cooldown 12 h.`);

    const list = await foothold(cli, ["alerts", "list"]);
    expect(list.code).toBe(0);
    const row = list.stdout.split("\n").find((l) => l.startsWith(id))!;
    expect(row).toMatch(/Contact forms\s+form_submit \/contact\* \(target\)\s+json\s+127\.0\.0\.1:\d+\s+0\s+0\s+0$/);

    const test = await foothold(cli, ["alerts", "test", id]);
    expect(test.stdout).toMatch(/^Test dlv_[0-9a-f-]+: delivered \(HTTP 200\)\.\n$/);
    expect(test.code).toBe(0);
    const [sample] = receiver.on("/cli");
    expect(sample.headers["x-foothold-signature"]).toBe(sign(secret, sample.body));
    expect(JSON.parse(sample.body)).toMatchObject({ alert: id, kind: "form_submit", test: true, account: { domain: "example.com" } });

    const listed = await foothold(cli, ["alerts", "deliveries", id]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/\(test\)\s+delivered\s+1\s*$/m);

    const refused = await foothold(cli, ["alerts", "create", "Bad", "--kind", "form_submit", "--receiver", "ftp://example.com/in"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: `url` must use http:// or https://, not ftp://");
  });
});

describe("the dashboard's Alerts page", () => {
  let context: BrowserContext;
  let tab: Page;
  let profile: string;
  const errors: string[] = [];
  beforeAll(async () => {
    profile = mkdtempSync(path.join(tmpdir(), "foothold-alerts-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, viewport: { width: 1360, height: 900 } });
    tab = context.pages()[0] ?? (await context.newPage());
    tab.on("pageerror", (e) => errors.push(e.message));
    tab.on("dialog", (d) => void d.accept());
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("creates a Slack rule, shows its secret once, sends a test and shows the delivery", async () => {
    await tab.goto(`${collector.url}/dashboard#/alerts`);
    await tab.fill("#api-key", collector.adminToken);
    await tab.click("button[type=submit]");
    await tab.waitForSelector("#alerts-table");
    expect(await tab.locator(`#alerts-table tr[data-alert="${pricing.id}"] td[data-col="delivered"]`).textContent()).toBe("1");

    await tab.fill('#alert-form input[name="name"]', "Slack: surging targets");
    await tab.selectOption('#alert-form select[name="kind"]', "surging");
    expect(await tab.locator('#alert-form input[name="path"]').isVisible()).toBe(false);
    await tab.fill('#alert-form input[name="segment"]', "target");
    await tab.fill('#alert-form input[name="url"]', `${receiver.url}/slack`);
    await tab.selectOption('#alert-form select[name="format"]', "slack");
    await tab.click('#alert-form button[type="submit"]');
    await tab.waitForSelector("#alert-secret");
    const secret = (await tab.locator("#alert-secret code").textContent())!;
    expect(secret).toMatch(/^whsec_/);

    const row = tab.locator("#alerts-table tbody tr", { hasText: "Slack: surging targets" });
    await row.locator("button.send-test").click();
    await tab.waitForSelector("#alert-test-result");
    expect(await tab.locator("#alert-test-result").textContent()).toBe(`Test delivered to ${new URL(receiver.url).host} (HTTP 200).`);
    await tab.waitForSelector("#deliveries-table");
    expect(await tab.locator("#deliveries-table tbody tr").count()).toBe(1);
    expect(await tab.locator('#deliveries-table tbody tr[data-status="delivered"] td[data-col="attempts"]').textContent()).toBe("1");

    // What Slack got: a valid incoming-webhook message, signed.
    const [slack] = receiver.on("/slack");
    expect(slack.headers["x-foothold-signature"]).toBe(sign(secret, slack.body));
    const message = SlackWebhookMessage.parse(JSON.parse(slack.body));
    expect(message.text).toBe("[test] Example Inc (sample) started surging (score 42.5, surging)");
    await tab.screenshot({ path: path.join(ARTIFACTS, "dashboard-alerts.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
