import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { type AlertMessage, consumeAlerts } from "../../collector/signals/deliver";
import { runAlertChecks } from "../../collector/signals/checks";
import { enrichedEvent } from "../fixtures";
import { call } from "./helpers";

// Alerts through the real consumer and D1: page and form rules fire from the queue consumer
// once the batch commits, state rules from the scheduled job, deliveries are signed and retried.
// The delivery queue is observed (what the Worker sends to it is collected here) and its consumer
// is run by hand with a receiver that answers as each test says; test/e2e/alerts.test.ts does the
// same through wrangler's real queues and a real HTTP server.

const testEnv = env as unknown as Env;
const NOW = () => new Date().toISOString();
const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
// The keyed hashes of the emails (`printf %s alice@acme.com | openssl dgst -sha256 -hmac test-hash-secret`).
const PERSON = {
  "alice@acme.com": "881a1f901a649994aff3134159e2ead4dce1bf5d8f090a0ebdf3e48b7babb728",
  "dave@initech.com": "f0b9e36c6a698c61570cc35b0a3e9a4d74dc76183f89f44a8cf5ef2a84280a83",
  "erin@globex.com": "70844ff184cb6df6f422edb65c9a984921a397200d80d7b607d886458c9bb5b4",
  "frank@hooli.com": "6d72ecb4173d5bafdeaabf4c55ec96f65e363fb9ac4e7417b4dd461efa4e975d",
} as const;

let n = 0;
const page = (anon: string, path: string, fields: Partial<EnrichedEvent> = {}) =>
  enrichedEvent({ message_id: `al-${++n}`, anonymous_id: anon, timestamp: NOW(), url: `https://example.com${path}`, path, user_agent: CHROME, ...fields });
const identify = (anon: string, email: keyof typeof PERSON | "bob@gmail.com", fields: Partial<EnrichedEvent> = {}) =>
  enrichedEvent({ message_id: `al-${++n}`, type: "identify", anonymous_id: anon, timestamp: NOW(), email_hash: email in PERSON ? PERSON[email as keyof typeof PERSON] : "b0b".padEnd(64, "0"), email_domain: email.split("@")[1], user_agent: CHROME, ...fields });
const formSubmit = (anon: string, path: string) => enrichedEvent({ message_id: `al-${++n}`, type: "track", event: "form_submit", anonymous_id: anon, timestamp: NOW(), path, url: `https://example.com${path}`, properties: '{"form":"demo"}', user_agent: CHROME });
const CRAWLER = { user_agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", is_bot: true, bot_reason: "user-agent" } as const;

/** The delivery queue, observed: the ids the Worker hands it. */
function observedQueue() {
  const sent: string[] = [];
  const queue = {
    async send(body: AlertMessage) {
      sent.push(body.delivery_id);
    },
    async sendBatch(messages: { body: AlertMessage }[]) {
      for (const m of messages) sent.push(m.body.delivery_id);
    },
  } as unknown as Queue;
  return { sent, queue };
}

/** D1 whose batch() fails on the calls `failOn` picks: a commit failing (as in pipeline.test.ts). */
function flakyDb(failOn: (call: number) => boolean): D1Database {
  let calls = 0;
  return new Proxy(testEnv.DB, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop !== "batch") return value.bind(target);
      return (...args: unknown[]) => {
        if (failOn(++calls)) throw new Error("D1_ERROR: injected failure");
        return value.apply(target, args);
      };
    },
  });
}

async function deliver(events: EnrichedEvent[], alerts: Queue, db = testEnv.DB, attempts = 1) {
  const batch = createMessageBatch<QueueMessageBody>("foothold-events", [{ id: `msg-${++n}`, timestamp: new Date(), attempts, body: { v: 1, events, rejects: [] } }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...testEnv, DB: db, ALERTS: alerts });
  return getQueueResult(batch, ctx);
}

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver that answers each POST with the next status of `statuses` (the last one repeats). */
function receiver(statuses: number[]) {
  const got: Received[] = [];
  const send = async (url: string, init: RequestInit) => {
    got.push({ url, headers: Object.fromEntries(new Headers(init.headers).entries()), body: String(init.body) });
    const status = statuses[Math.min(got.length - 1, statuses.length - 1)];
    return new Response(status === 200 ? "ok" : "busy", { status });
  };
  return { got, send };
}

/**
 * The delivery queue's consumer run on these deliveries' messages, with what it asked of the
 * queue for each: ack, or retry with its delay (the test harness's getQueueResult drops delays).
 */
async function runDeliveries(ids: string[], send: (url: string, init: RequestInit) => Promise<Response>, attempts = 1, workerEnv: Env = testEnv) {
  const acks: string[] = [];
  const retries: { id: string; delaySeconds?: number }[] = [];
  const messages = ids.map((id, i) => ({
    id: `a-${i}`, timestamp: new Date(), attempts, body: { delivery_id: id },
    ack: () => acks.push(`a-${i}`),
    retry: (o?: { delaySeconds?: number }) => retries.push({ id: `a-${i}`, ...o }),
  }));
  const batch = { queue: "foothold-alerts", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<AlertMessage>;
  await consumeAlerts(batch, workerEnv, send);
  return { acks, retries };
}

async function createRule(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await call("/v1/alerts", { method: "POST", body: JSON.stringify(body) });
  expect(r.status, await r.clone().text()).toBe(201);
  return r.json();
}

async function deliveries(ruleId: string) {
  const r = await call(`/v1/alerts/${ruleId}/deliveries`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { deliveries: Array<{ id: string; status: string; attempts: number; last_error: string | null; delivered_at: string | null; kind: string; account: string | null; test: boolean }> }).deliveries;
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function importAccounts(rows: object[]) {
  const r = await call("/v1/accounts", { method: "PUT", body: JSON.stringify(rows) });
  expect(r.status, await r.clone().text()).toBe(200);
}

describe("alert rules API", () => {
  it("creates a rule with a secret shown once, lists it without the secret, and deletes it", async () => {
    const created = await createRule({ name: "Pricing", when: { kind: "page_view", path: "/pricing*", segment: "Target" }, url: "https://hooks.example.com/x" });
    expect(created).toMatchObject({ id: expect.stringMatching(/^alert_/), secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/), when: { kind: "page_view", path: "/pricing*", segment: "target" }, format: "json", cooldown_hours: 24 });
    const listed = (await (await call("/v1/alerts")).json()) as { alerts: Array<Record<string, unknown>> };
    const mine = listed.alerts.find((a) => a.id === created.id)!;
    expect(mine).toEqual({ id: created.id, name: "Pricing", when: { kind: "page_view", path: "/pricing*", segment: "target" }, url: "https://hooks.example.com/x", format: "json", cooldown_hours: 24, created_at: expect.any(String), deliveries: { pending: 0, delivered: 0, failed: 0 } });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    // Stored sealed: the secret is nowhere in the database's row either.
    const row = await testEnv.DB.prepare("SELECT secret FROM alert_rules WHERE id = ?1").bind(created.id).first<{ secret: string }>();
    expect(row!.secret).toMatch(/^v1:/);
    expect(row!.secret).not.toContain(created.secret.slice(6));

    expect(await (await call(`/v1/alerts/${created.id}`, { method: "DELETE" })).json()).toEqual({ id: created.id, deleted: true });
    const again = await call(`/v1/alerts/${created.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: { code: "not_found", message: `No alert rule has the id "${created.id}".` } });
    expect((await call(`/v1/alerts/${created.id}/deliveries`)).status).toBe(404);
    expect((await call(`/v1/alerts/${created.id}/test`, { method: "POST" })).status).toBe(404);
  });

  it("refuses receivers that are not http(s), and fields that do not go with the kind", async () => {
    const refuse = async (body: Record<string, unknown>, code: string, message: string) => {
      const r = await call("/v1/alerts", { method: "POST", body: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(await r.json()).toEqual({ error: { code, message } });
    };
    const when = { kind: "form_submit" };
    await refuse({ name: "x", when, url: "ftp://files.example.com/in" }, "invalid_url", "`url` must use http:// or https://, not ftp:// (alerts are sent as HTTP POST requests).");
    await refuse({ name: "x", when, url: "javascript:alert(1)" }, "invalid_url", "`url` must use http:// or https://, not javascript:// (alerts are sent as HTTP POST requests).");
    await refuse({ name: "x", when, url: "hooks.example.com/x" }, "invalid_url", '`url` must be an absolute http:// or https:// address, got "hooks.example.com/x".');
    await refuse({ name: "x", when: { kind: "page_view" }, url: "https://h.example.com" }, "invalid_body", "`when.path` is required for page_view: a path glob such as /pricing*.");
    await refuse({ name: "x", when: { kind: "score_above" }, url: "https://h.example.com" }, "invalid_body", "`when.threshold` is required for score_above: the 30-day score to fire above.");
    await refuse({ name: "x", when: { kind: "surging", path: "/x" }, url: "https://h.example.com" }, "invalid_body", "`when.path` applies to page_view and form_submit, not surging.");
    await refuse({ name: "x", when: { kind: "sometimes" }, url: "https://h.example.com" }, "invalid_body", "`when.kind` must be one of page_view, form_submit, surging, score_above.");
    await refuse({ name: "x", when, url: "https://h.example.com", format: "xml" }, "invalid_body", "`format` must be one of json, slack.");
  });

  it("is admin only", async () => {
    const key = (await (await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "reader", scopes: ["read"] }) })).json()) as { key: string };
    const r = await call("/v1/alerts", { token: key.key });
    expect(r.status).toBe(403);
    expect((await call("/v1/alerts", { token: null })).status).toBe(401);
  });
});

describe("page and form rules, from the queue consumer", () => {
  it("fires once, signed, for a target account's identified visitor on /pricing/enterprise; not again inside the cooldown", async () => {
    await importAccounts([{ domain: "acme.com", name: "Acme", segment: "target" }]);
    const rule = await createRule({ name: "Pricing by targets", when: { kind: "page_view", path: "/pricing*", segment: "target" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    await deliver([identify("v-alice", "alice@acme.com"), page("v-alice", "/pricing/enterprise")], q.queue);
    expect(q.sent).toHaveLength(1);
    const [pending] = await deliveries(rule.id);
    expect(pending).toMatchObject({ id: q.sent[0], status: "pending", attempts: 0, kind: "page_view", account: "acme.com", test: false });

    const r = receiver([200]);
    const result = await runDeliveries(q.sent, r.send);
    expect(result).toEqual({ acks: ["a-0"], retries: [] });
    expect(r.got).toHaveLength(1);
    const post = r.got[0];
    expect(post.url).toBe("https://receiver.example/hook");
    expect(post.headers["x-foothold-delivery"]).toBe(q.sent[0]);
    expect(post.headers["x-foothold-signature"]).toBe(`sha256=${await hmacHex(rule.secret, post.body)}`);
    // Acme's 30-day score after the batch: one /pricing view today, weight 3 (identify weighs nothing).
    expect(JSON.parse(post.body)).toEqual({
      id: q.sent[0], alert: rule.id, alert_name: "Pricing by targets", kind: "page_view", at: expect.any(String),
      account: { domain: "acme.com", name: "Acme", segment: "target", score: 3, surging: false },
      person: { email_hash: PERSON["alice@acme.com"], email_domain: "acme.com" },
      page: { path: "/pricing/enterprise", url: "https://example.com/pricing/enterprise" },
      dashboard_url: "https://collector.test/dashboard#/accounts/acme.com",
    });
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "delivered", attempts: 1, last_error: null, delivered_at: expect.any(String) });

    // A second view inside the 24 h cooldown: nothing new.
    await deliver([page("v-alice", "/pricing")], q.queue);
    expect(q.sent).toHaveLength(1);
    expect(await deliveries(rule.id)).toHaveLength(1);
  });

  it("never fires for a personal-mail visitor, a crawler, or a visitor who resolves only after the page view", async () => {
    const rule = await createRule({ name: "Any demo page", when: { kind: "page_view", path: "/demo*" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    await deliver([identify("v-bob", "bob@gmail.com"), page("v-bob", "/demo")], q.queue);
    await deliver([identify("v-crawler", "alice@acme.com", CRAWLER), page("v-crawler", "/demo", CRAWLER)], q.queue);
    // Dave reads /demo anonymously, then identifies in a later batch: his old view does not fire.
    await deliver([page("v-dave", "/demo/book")], q.queue);
    await deliver([identify("v-dave", "dave@initech.com")], q.queue);
    expect(q.sent).toEqual([]);
    expect(await deliveries(rule.id)).toEqual([]);
    // Once resolved, his next view does.
    await deliver([page("v-dave", "/demo")], q.queue);
    expect(q.sent).toHaveLength(1);
    expect((await deliveries(rule.id)).map((d) => d.account)).toEqual(["initech.com"]);
  });

  it("fires form_submit rules for a submitted form, limited to the rule's segment", async () => {
    await importAccounts([{ domain: "hooli.com", name: "Hooli", segment: "customer" }]);
    const targets = await createRule({ name: "Target forms", when: { kind: "form_submit", segment: "target" }, url: "https://receiver.example/hook" });
    const customers = await createRule({ name: "Customer forms", when: { kind: "form_submit", segment: "customer" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    await deliver([identify("v-frank", "frank@hooli.com"), page("v-frank", "/contact"), formSubmit("v-frank", "/contact")], q.queue);
    expect(await deliveries(targets.id)).toEqual([]);
    expect((await deliveries(customers.id)).map((d) => [d.kind, d.account])).toEqual([["form_submit", "hooli.com"]]);
    expect(q.sent).toHaveLength(1);
  });

  it("fires the alert of a batch that failed and was retried exactly once", async () => {
    await importAccounts([{ domain: "umbrella.com", name: "Umbrella", segment: "target" }]);
    const rule = await createRule({ name: "Umbrella pricing", when: { kind: "page_view", path: "/plans/*", segment: "target" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    const events = [
      identify("v-ums", "alice@acme.com", { email_hash: "5".repeat(64), email_domain: "umbrella.com" }),
      page("v-ums", "/plans/teams"),
    ];
    // The commit fails: the message is retried and nothing is sent to the delivery queue.
    const failed = await deliver(events, q.queue, flakyDb((c) => c === 1));
    expect(failed.retryMessages).toHaveLength(1);
    expect(q.sent).toEqual([]);
    expect(await deliveries(rule.id)).toEqual([]);
    // The retry commits and fires; a redelivery of the same message after that fires nothing more.
    await deliver(events, q.queue, testEnv.DB, 2);
    await deliver(events, q.queue, testEnv.DB, 3);
    expect(q.sent).toHaveLength(1);
    expect((await deliveries(rule.id)).map((d) => [d.id, d.account])).toEqual([[q.sent[0], "umbrella.com"]]);
  });
});

describe("delivery", () => {
  it("retries a receiver that answers 500 twice, with the same delivery id and signature, and lists the attempts", async () => {
    await importAccounts([{ domain: "initrode.com", name: "Initrode", segment: "target" }]);
    const rule = await createRule({ name: "Initrode", when: { kind: "page_view", path: "/careers", segment: "target" }, url: "https://flaky.example/in", format: "slack" });
    const q = observedQueue();
    await deliver([identify("v-ini", "alice@acme.com", { email_hash: "6".repeat(64), email_domain: "initrode.com" }), page("v-ini", "/careers/")], q.queue);
    expect(q.sent).toHaveLength(1);

    const r = receiver([500, 500, 200]);
    // The queue redelivers the message after each retry's delay: 10 s, then 30 s.
    expect((await runDeliveries(q.sent, r.send, 1)).retries).toEqual([{ id: "a-0", delaySeconds: 10 }]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 500: busy" });
    expect((await runDeliveries(q.sent, r.send, 2)).retries).toEqual([{ id: "a-0", delaySeconds: 30 }]);
    expect((await runDeliveries(q.sent, r.send, 3)).acks).toEqual(["a-0"]);

    expect(r.got).toHaveLength(3);
    expect(new Set(r.got.map((g) => g.headers["x-foothold-delivery"]))).toEqual(new Set([q.sent[0]]));
    expect(new Set(r.got.map((g) => g.body)).size).toBe(1);
    expect(r.got[0].headers["x-foothold-signature"]).toBe(`sha256=${await hmacHex(rule.secret, r.got[0].body)}`);
    expect(new Set(r.got.map((g) => g.headers["x-foothold-signature"])).size).toBe(1);
    expect(JSON.parse(r.got[0].body).blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Initrode viewed /careers/" } });
    expect((await deliveries(rule.id))[0]).toMatchObject({ id: q.sent[0], status: "delivered", attempts: 3, last_error: "HTTP 500: busy", delivered_at: expect.any(String) });
    // A redelivered message for a delivery already done sends nothing.
    expect((await runDeliveries(q.sent, r.send, 4)).acks).toEqual(["a-0"]);
    expect(r.got).toHaveLength(3);
  });

  it("marks a delivery failed once the next try would fall 24 hours after the first", async () => {
    await importAccounts([{ domain: "vandelay.com", name: "Vandelay", segment: "target" }]);
    const rule = await createRule({ name: "Vandelay", when: { kind: "page_view", path: "/", segment: "target" }, url: "https://down.example/in" });
    const q = observedQueue();
    await deliver([identify("v-van", "alice@acme.com", { email_hash: "7".repeat(64), email_domain: "vandelay.com" }), page("v-van", "/")], q.queue);
    // Twelve attempts in, the first 23.5 hours ago: the next (an hour away) would pass 24 hours.
    const first = new Date(Date.now() - 23.5 * 3_600_000).toISOString();
    await testEnv.DB.prepare("UPDATE alert_deliveries SET attempts = 12, first_attempt_at = ?2 WHERE id = ?1").bind(q.sent[0], first).run();
    const r = receiver([503]);
    const result = await runDeliveries(q.sent, r.send);
    expect(result).toEqual({ acks: ["a-0"], retries: [] });
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "failed", attempts: 13, last_error: "HTTP 503: busy" });
  });

  it("sends nothing it cannot sign (HASH_SECRET changed), and says so in the delivery", async () => {
    await importAccounts([{ domain: "soylent.com", name: "Soylent", segment: "target" }]);
    const rule = await createRule({ name: "Soylent", when: { kind: "page_view", path: "/menu", segment: "target" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    await deliver([identify("v-soy", "alice@acme.com", { email_hash: "a".repeat(64), email_domain: "soylent.com" }), page("v-soy", "/menu")], q.queue);
    const r = receiver([200]);
    expect((await runDeliveries(q.sent, r.send, 1, { ...testEnv, HASH_SECRET: "a-new-secret" })).retries).toEqual([{ id: "a-0", delaySeconds: 10 }]);
    expect(r.got).toEqual([]);
    expect((await deliveries(rule.id))[0]).toMatchObject({ status: "pending", attempts: 1, last_error: "cannot sign: the rule's secret does not open under this HASH_SECRET (was it changed? create the rule again)" });
    // With the secret it was made under, the retry goes through.
    expect((await runDeliveries(q.sent, r.send, 2)).acks).toEqual(["a-0"]);
    expect(r.got).toHaveLength(1);
  });

  it("re-sends, from the hourly sweep, a pending delivery whose queue message was lost", async () => {
    await importAccounts([{ domain: "wonka.com", name: "Wonka", segment: "target" }]);
    await createRule({ name: "Wonka", when: { kind: "page_view", path: "/factory", segment: "target" }, url: "https://receiver.example/hook" });
    const lost = observedQueue();
    await deliver([identify("v-wonka", "alice@acme.com", { email_hash: "8".repeat(64), email_domain: "wonka.com" }), page("v-wonka", "/factory")], lost.queue);
    expect(lost.sent).toHaveLength(1);
    const sweep = observedQueue();
    // Within five minutes it is not overdue yet; ten minutes later it is.
    await runAlertChecks({ ...testEnv, ALERTS: sweep.queue }, new Date(Date.now() + 60_000));
    expect(sweep.sent).not.toContain(lost.sent[0]);
    await runAlertChecks({ ...testEnv, ALERTS: sweep.queue }, new Date(Date.now() + 10 * 60_000));
    expect(sweep.sent).toContain(lost.sent[0]);
  });

  it("sends a test once and answers how it went", async () => {
    const rule = await createRule({ name: "Unreachable", when: { kind: "page_view", path: "/never" }, url: "http://127.0.0.1:9/hook" });
    const r = await call(`/v1/alerts/${rule.id}/test`, { method: "POST" });
    expect(r.status).toBe(200);
    const answer = (await r.json()) as { id: string; status: string; attempts: number; last_error: string; test: boolean };
    expect(answer).toMatchObject({ status: "failed", attempts: 1, test: true, kind: "page_view", account: null, last_error: expect.stringMatching(/^could not connect: /) });
    expect((await deliveries(rule.id)).map((d) => d.id)).toEqual([answer.id]);
  });
});

describe("surging and score rules, from the scheduled job", () => {
  async function scheduled(alerts: Queue) {
    await worker.scheduled(createScheduledController({ cron: "7 * * * *" }), { ...testEnv, ALERTS: alerts });
  }

  it("fires surging once when an account starts surging, not for one already surging when the rule was made", async () => {
    const rule = await createRule({ name: "Surges", when: { kind: "surging" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    await scheduled(q.queue);
    expect(await deliveries(rule.id)).toEqual([]);
    // Erin of Globex: five page views today and nothing in the three weeks before: surging.
    await deliver([identify("v-erin", "erin@globex.com"), ...["/", "/product", "/pricing", "/docs", "/blog"].map((p) => page("v-erin", p))], q.queue);
    await scheduled(q.queue);
    expect((await deliveries(rule.id)).map((d) => [d.kind, d.account])).toEqual([["surging", "globex.com"]]);
    expect(q.sent).toHaveLength(1);
    await scheduled(q.queue);
    expect(await deliveries(rule.id)).toHaveLength(1);

    // Globex already surges when this rule is made: it does not fire for it.
    const late = await createRule({ name: "Surges, made late", when: { kind: "surging" }, url: "https://receiver.example/hook" });
    await scheduled(q.queue);
    expect(await deliveries(late.id)).toEqual([]);

    const r = receiver([200]);
    expect((await runDeliveries(q.sent, r.send)).acks).toEqual(["a-0"]);
    // Globex: five page views, /pricing among them (3 + 4 × 1 = 7 today), surging.
    expect(JSON.parse(r.got[0].body)).toMatchObject({ kind: "surging", account: { domain: "globex.com", name: null, segment: null, score: 7, surging: true }, dashboard_url: "https://collector.test/dashboard#/accounts/globex.com" });
    expect(JSON.parse(r.got[0].body)).not.toHaveProperty("person");
  });

  it("fires score_above when the 30-day score rises above the threshold", async () => {
    await importAccounts([{ domain: "stark.com", name: "Stark", segment: "target" }]);
    const rule = await createRule({ name: "Hot targets", when: { kind: "score_above", threshold: 12, segment: "target" }, url: "https://receiver.example/hook" });
    const q = observedQueue();
    const anon = "v-stark";
    const who = identify(anon, "alice@acme.com", { email_hash: "9".repeat(64), email_domain: "stark.com" });
    // A form submit weighs 10: 10 is not above 12 ...
    await deliver([who, formSubmit(anon, "/contact")], q.queue);
    await scheduled(q.queue);
    expect(await deliveries(rule.id)).toEqual([]);
    // ... a second one makes 20, which is.
    await deliver([formSubmit(anon, "/contact")], q.queue);
    await scheduled(q.queue);
    expect((await deliveries(rule.id)).map((d) => [d.kind, d.account])).toEqual([["score_above", "stark.com"]]);
    await scheduled(q.queue);
    expect(await deliveries(rule.id)).toHaveLength(1);
    const r = receiver([200]);
    await runDeliveries([(await deliveries(rule.id))[0].id], r.send);
    expect(JSON.parse(r.got[0].body).account).toEqual({ domain: "stark.com", name: "Stark", segment: "target", score: 20, surging: false });
  });
});
