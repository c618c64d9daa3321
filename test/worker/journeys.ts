import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Env } from "../../collector/env";
import type { EnrichedEvent, QueueMessageBody } from "../../collector/events";
import worker from "../../collector/index";
import { basic, call, exportAll } from "./helpers";

// Journeys for the revenue-analytics tests, sent the way a site sends them (the Segment API,
// /v1/batch) and resolved by the real queue consumer. Days count from a base day (midnight UTC);
// a page view is at 10:00 of its day, identify and forms a minute or more later.

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOME = { asn: 7922, asOrganization: "Comcast Cable Communications, LLC", country: "US" };
export const DAY = 86_400_000;

export function journeys(prefix: string, base: number) {
  let n = 0;
  const id = () => `${prefix}${++n}`;
  const at = (day: number, minute = 0) => new Date(base + day * DAY + (10 * 60 + minute) * 60_000).toISOString();
  const dayOf = (day: number) => new Date(base + day * DAY).toISOString().slice(0, 10);
  let site: { id: string; write_key: string } | null = null;
  let sent = 0;

  return {
    at,
    dayOf,
    page: (anon: string, day: number, url: string, referrer?: string, minute = 0) => ({
      type: "page", messageId: id(), anonymousId: anon, timestamp: at(day, minute), properties: { url: `https://example.com${url}`, ...(referrer ? { referrer } : {}) },
    }),
    identify: (anon: string, day: number, email: string, minute = 1) => ({ type: "identify", messageId: id(), anonymousId: anon, timestamp: at(day, minute), traits: { email } }),
    /** a form submitted with an email field: the form's email identifies the person */
    formSubmit: (anon: string, day: number, email: string, minute = 1) => ({
      type: "track", event: "form_submit", messageId: id(), anonymousId: anon, timestamp: at(day, minute), properties: { form: "demo", fields: ["email"] }, traits: { email },
    }),
    useSite(s: { id: string; write_key: string }) {
      site = s;
    },
    async send(batch: unknown[]) {
      const r = await call("/v1/batch", {
        method: "POST", token: null, cf: HOME, body: JSON.stringify({ batch }),
        headers: { authorization: basic(site!.write_key), origin: "https://example.com", "user-agent": CHROME },
      });
      expect(r.status, await r.clone().text()).toBe(200);
      sent += batch.length;
    },
    /**
     * A crawler's page view, handed to the queue consumer flagged as ingest flags it (is_bot), as
     * test/worker/revenue.test.ts does (ua-parser-js does not load under vitest's workerd runner).
     */
    async crawl(anon: string, day: number) {
      const when = at(day);
      const e: EnrichedEvent = {
        message_id: id(), type: "page", event: null, site_id: site!.id, anonymous_id: anon, user_id: null, group_id: null,
        previous_id: null, timestamp: when, received_at: when, original_timestamp: null, url: "https://example.com/", path: "/", title: null, referrer: null,
        referrer_host: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null, gclid: null,
        msclkid: null, li_fat_id: null, fbclid: null, ttclid: null, channel: "Direct", country: "US", region: null, city: null,
        asn: HOME.asn, as_org: HOME.asOrganization, user_agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        browser: null, os: null, device: null, is_bot: true, bot_reason: "user-agent", email_hash: null, email_domain: null,
        properties: "{}", traits: "{}",
      };
      const batch = createMessageBatch<QueueMessageBody>("foothold-events", [{ id: e.message_id, timestamp: new Date(), attempts: 1, body: { v: 1, events: [e], rejects: [] } }]);
      await worker.queue(batch, env as unknown as Env);
      sent++;
    },
    /** waits until the consumer has stored every event sent so far */
    async stored() {
      for (let i = 0; i < 60; i++) {
        if ((await exportAll()).length >= sent) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`only ${(await exportAll()).length} of ${sent} events stored`);
    },
  };
}

export async function json(path: string): Promise<any> {
  const r = await call(path);
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json();
}

export async function put(path: string, body: unknown): Promise<any> {
  const r = await call(path, { method: "PUT", body: JSON.stringify(body) });
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json();
}
