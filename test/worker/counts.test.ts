import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { enrichedEvent } from "../fixtures";
import { flakyD1 } from "./flaky-d1";
import { basic, call, createSite, exportAll } from "./helpers";

// Counts a marketer can trust (issues 12 and 13): people on their company's cloud-shared network
// are counted, one bot session never takes a person's others away, events sessionize by their
// time whatever order they arrive in, and backend calls with only a userId count for the person.

const testEnv = env as unknown as Env;
const DAY = 86_400_000;
const TODAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
const MICROSOFT_CORP = { asn: 8075, asOrganization: "MICROSOFT-CORP-MSN-AS-BLOCK", country: "US" };
const AWS = { asn: 16509, asOrganization: "Amazon.com, Inc.", country: "US" };

let site: { id: string; write_key: string };
beforeAll(async () => {
  site = await createSite(["example.com"], "Counts");
});

let n = 0;
const at = (daysAgo: number, minutes: number) => new Date(TODAY - daysAgo * DAY + 9 * 3_600_000 + minutes * 60_000).toISOString();
async function send(batch: Record<string, unknown>[], opts: { ua?: string; cf?: Record<string, unknown>; browser?: boolean } = {}) {
  const headers: Record<string, string> = { authorization: basic(site.write_key), "user-agent": opts.ua ?? EDGE };
  if (opts.browser !== false) headers.origin = "https://www.example.com";
  const r = await call("/v1/batch", { method: "POST", token: null, cf: opts.cf, headers, body: JSON.stringify({ batch: batch.map((e) => ({ messageId: `cnt-${++n}`, ...e })) }) });
  expect(r.status).toBe(200);
}
async function stored(prefix: string, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 150; i++) {
    const rows = (await exportAll()).filter((r) => String(r.anonymous_id ?? r.user_id).startsWith(prefix));
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} events of ${prefix}`);
}
async function account(domain: string, query = "window=7d") {
  const r = await call(`/v1/accounts/${domain}?${query}`);
  return { status: r.status, body: (await r.json()) as { counts: Record<string, number>; people: unknown[] } };
}
const url = (path: string) => `https://www.example.com${path}`;

describe("bot verdicts per session", () => {
  it("counts a person on Edge from Microsoft's corporate network who scrolls and submits a form for microsoft.com", async () => {
    const anon = "ms-sam";
    await send(
      [
        { type: "page", anonymousId: anon, timestamp: at(1, 0), properties: { url: url("/pricing") } },
        { type: "track", event: "engagement", anonymousId: anon, timestamp: at(1, 1), properties: { engaged_ms: 45_000, scroll_pct: 80 } },
        { type: "track", event: "form_submit", anonymousId: anon, timestamp: at(1, 2), properties: { form: "demo", fields: ["email"] } },
        { type: "identify", anonymousId: anon, timestamp: at(1, 2), traits: { email: "sam@microsoft.com" } },
      ],
      { cf: MICROSOFT_CORP },
    );
    const rows = await stored(anon, 4);
    expect(rows.map((r) => [r.is_bot, r.bot_reason])).toEqual(Array(4).fill([false, null]));
    const { status, body } = await account("microsoft.com");
    expect(status).toBe(200);
    expect(body.counts).toMatchObject({ visitors: 1, people: 1, sessions: 1, pageviews: 1, form_submits: 1, engaged_seconds: 45 });
  });

  it("flags a headless crawler from an AWS network and a page-only script there, and counts neither", async () => {
    await send([{ type: "page", anonymousId: "crawler-1", timestamp: at(1, 10), properties: { url: url("/") } }], { ua: HEADLESS, cf: AWS });
    // A normal browser's user agent on a hosting network, doing nothing a person does.
    await send(
      [
        { type: "page", anonymousId: "script-1", timestamp: at(1, 10), properties: { url: url("/") } },
        { type: "page", anonymousId: "script-1", timestamp: at(1, 11), properties: { url: url("/pricing") } },
      ],
      { cf: AWS },
    );
    const crawler = await stored("crawler-1", 1);
    expect(crawler.map((r) => [r.is_bot, r.bot_reason])).toEqual([[true, "headless"]]);
    const script = await stored("script-1", 2);
    expect(script.map((r) => [r.is_bot, r.bot_reason])).toEqual([[true, "datacenter-asn"], [true, "datacenter-asn"]]);
    const counted = await testEnv.DB.prepare("SELECT count(*) AS n FROM visitor_days WHERE anonymous_id IN ('crawler-1', 'script-1')").first<{ n: number }>();
    expect(counted!.n).toBe(0);
  });

  it("keeps a person's sessions when one headless request comes from their anonymous id", async () => {
    // Sam from the first test, two hours later, through a headless browser: a session of its own, a bot.
    await send([{ type: "page", anonymousId: "ms-sam", timestamp: at(1, 120), properties: { url: url("/docs") } }], { ua: HEADLESS, cf: MICROSOFT_CORP });
    const rows = await stored("ms-sam", 5);
    const late = rows.find((r) => r.path === "/docs")!;
    expect([late.is_bot, late.bot_reason]).toEqual([true, "headless"]);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(2);
    const { body } = await account("microsoft.com");
    expect(body.counts).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1, form_submits: 1 });
  });
});

describe("userId stitching", () => {
  it("counts a backend call carrying only a userId for the account of the person identified with it, in either order", async () => {
    // Order 1: the browser identifies (userId + business email), then the backend reports.
    await send([
      { type: "page", anonymousId: "uid-a", timestamp: at(2, 0), properties: { url: url("/signup") } },
      { type: "identify", anonymousId: "uid-a", userId: "user-17", timestamp: at(2, 1), traits: { email: "ann@initech.com" } },
    ]);
    await stored("uid-a", 2);
    await send([{ type: "track", event: "form_submit", userId: "user-17", timestamp: at(2, 5), properties: { form: "onboarding" } }], { browser: false, ua: "" });
    await stored("user-17", 1);
    // Order 2: the backend reports first, the browser identifies with the userId later.
    await send([{ type: "track", event: "form_submit", userId: "user-18", timestamp: at(2, 6), properties: { form: "onboarding" } }], { browser: false, ua: "" });
    await stored("user-18", 1);
    await send([
      { type: "page", anonymousId: "uid-b", timestamp: at(2, 10), properties: { url: url("/login") } },
      { type: "identify", anonymousId: "uid-b", userId: "user-18", timestamp: at(2, 11), traits: { email: "bo@initech.com" } },
    ]);
    await stored("uid-b", 2);

    // Two browser visitors and two backend reports: 2 visitors, 2 people, 2 form submits, 6 events.
    let counts: Record<string, number> = {};
    for (let i = 0; i < 50 && counts.form_submits !== 2; i++) {
      counts = (await account("initech.com")).body.counts;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(counts).toMatchObject({ visitors: 2, people: 2, sessions: 2, pageviews: 2, form_submits: 2, events: 6 });
    // The backend events carry the account in the export too.
    const backend = (await exportAll()).filter((r) => r.user_id === "user-17" || r.user_id === "user-18").filter((r) => r.type === "track");
    expect(backend.map((r) => r.account_domain)).toEqual(["initech.com", "initech.com"]);
  });
});

describe("sessions by time, whatever the order of arrival", () => {
  /**
   * One world of two people at one account, `shift` days later than the base. Visitor 1: a paid
   * click, pricing, engagement; two days later from LinkedIn, a form and an identify. Visitor 2:
   * docs then pricing; two days later a newsletter click and an identify.
   */
  function world(prefix: string, domain: string, shift: number): EnrichedEvent[] {
    const t = (day: number, h: number, m: number) => new Date(TODAY - (30 - shift - day) * DAY + h * 3_600_000 + m * 60_000).toISOString();
    const e = (id: string, anon: string, ts: string, extra: Partial<EnrichedEvent>) =>
      enrichedEvent({ message_id: `${prefix}-${id}`, anonymous_id: `${prefix}-${anon}`, site_id: site.id, timestamp: ts, received_at: new Date().toISOString(), ...extra });
    const page = (path: string, extra: Partial<EnrichedEvent> = {}) => ({ type: "page" as const, url: url(path), path, ...extra });
    const paid = { utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", channel: "Paid Search" as const };
    return [
      e("1", "v1", t(0, 10, 0), page("/", paid)),
      e("2", "v1", t(0, 10, 5), page("/pricing")),
      e("3", "v1", t(0, 10, 6), { type: "track", event: "engagement", properties: '{"engaged_ms":30000}' }),
      e("4", "v1", t(0, 10, 20), page("/customers")),
      e("5", "v1", t(2, 14, 0), page("/blog", { referrer_host: "linkedin.com", channel: "Organic Social" })),
      e("6", "v1", t(2, 14, 3), { type: "track", event: "form_submit", properties: '{"form":"demo"}' }),
      e("7", "v1", t(2, 14, 4), { type: "identify", email_hash: `${prefix}-hash-1`, email_domain: domain }),
      e("8", "v2", t(1, 9, 0), page("/docs")),
      e("9", "v2", t(1, 9, 25), page("/pricing")),
      e("10", "v2", t(1, 9, 50), page("/pricing/teams")),
      e("11", "v2", t(3, 16, 0), page("/", { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring", channel: "Email" })),
      e("12", "v2", t(3, 16, 2), { type: "identify", email_hash: `${prefix}-hash-2`, email_domain: domain }),
    ];
  }
  const deliver = async (groups: EnrichedEvent[][], db: D1Database = testEnv.DB) => {
    const batch = createMessageBatch<QueueMessageBody>("foothold-events", groups.map((events, i) => ({ id: `w-${++n}-${i}`, timestamp: new Date(), attempts: 1, body: { v: 1, events, rejects: [] } })));
    await worker.queue(batch, { ...testEnv, DB: db });
  };
  const failFirstCommit = () => flakyD1((call) => call === 1);
  const SHIFT = 10;
  const day = (d: number) => new Date(TODAY - d * DAY).toISOString().slice(0, 10);

  it("gives the same sessions, touchpoints, account counts and attribution in order and shuffled across batches with a retry", async () => {
    const a = world("ord", "ordered-co.com", 0);
    const b = world("shf", "shuffled-co.com", SHIFT);
    await deliver([a]);
    const [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12] = b;
    // Late and out of order: the bridge page (10:20) before the visit it belongs to, identifies first.
    await deliver([[b12, b4], [b7, b10]], failFirstCommit());
    await deliver([[b9, b3, b1], [b11], [b5, b8]]);
    await deliver([[b2, b6, b4]]);

    const shape = async (prefix: string, shiftDays: number) => {
      const { results } = await testEnv.DB.prepare(
        `SELECT substr(anonymous_id, 5) AS v, started_at, ended_at, channel, source, medium, campaign, landing_page, pageviews, events, is_bot
         FROM sessions WHERE anonymous_id LIKE ?1 ORDER BY anonymous_id, started_at`,
      ).bind(`${prefix}-%`).all<Record<string, unknown> & { started_at: string; ended_at: string }>();
      const back = (iso: string) => new Date(Date.parse(iso) - shiftDays * DAY).toISOString();
      return results.map((r) => ({ ...r, started_at: back(r.started_at), ended_at: back(r.ended_at) })) as Array<Record<string, unknown>>;
    };
    const ordered = await shape("ord", 0);
    expect(ordered.map((s) => [s.v, s.channel, s.pageviews])).toEqual([
      ["v1", "Paid Search", 3],
      ["v1", "Organic Social", 1],
      ["v2", "Direct", 3],
      ["v2", "Email", 1],
    ]);
    expect(await shape("shf", SHIFT)).toEqual(ordered);

    // The accounts the identifies named, counted over each world's own days.
    const countsOf = async (domain: string, shift: number) => (await account(domain, `from=${day(30 - shift)}&to=${day(30 - shift - 4)}`)).body.counts;
    const { first_seen: _f1, last_seen: _l1, ...ordCounts } = await countsOf("ordered-co.com", 0);
    const { first_seen: _f2, last_seen: _l2, ...shfCounts } = await countsOf("shuffled-co.com", SHIFT);
    expect(ordCounts).toMatchObject({ visitors: 2, people: 2, sessions: 4, pageviews: 8, form_submits: 1, engaged_seconds: 30 });
    expect(shfCounts).toEqual(ordCounts);

    // A won deal on each account, closed on each world's day 5: the same attribution by channel.
    const csv = `id,account,amount,currency,stage,created_at,closed_at,won\nORD-1,ordered-co.com,1000,USD,won,${day(29)},${day(25)},true\nSHF-1,shuffled-co.com,1000,USD,won,${day(29 - SHIFT)},${day(25 - SHIFT)},true\n`;
    expect((await call("/v1/deals", { method: "PUT", headers: { "content-type": "text/csv" }, body: csv })).status).toBe(200);
    for (const model of ["first_touch", "linear", "w_shaped", "time_decay", "markov"]) {
      const report = async (shift: number) => {
        const r = await call(`/v1/revenue?by=channel&model=${model}&from=${day(30 - shift)}&to=${day(25 - shift)}`);
        const { rows } = (await r.json()) as { rows: { key: string; revenue: number; visitors: number; sessions: number }[] };
        return rows.map(({ key, revenue, visitors, sessions }) => ({ key, revenue, visitors, sessions }));
      };
      const ordRows = await report(0);
      expect(ordRows.find((r) => r.key === "total")).toMatchObject({ revenue: 1000, visitors: 2, sessions: 4 });
      expect(await report(SHIFT), model).toEqual(ordRows);
    }
  });
});
