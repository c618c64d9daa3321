import { describe, expect, it } from "vitest";
import { type AlertFacts, alertBody, jsonBody, signature, slackMessage } from "../../../collector/signals/payload";
import { open, seal } from "../../../collector/auth/secret-box";
import { SLACK_DOCS_EXAMPLE, SlackWebhookMessage } from "../../fixtures/slack-block-kit";

const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  id: "dlv_1",
  alert: { id: "alert_1", name: "Pricing by targets", kind: "page_view", path: "/pricing*", threshold: null },
  at: "2026-11-20T09:15:30.000Z",
  account: { domain: "acme.com", name: "Acme <Labs> & Co", segment: "target", score: 42.25, surging: true },
  person: { email_hash: "ab".repeat(32), email_domain: "acme.com" },
  page: { path: "/pricing/enterprise", url: "https://example.com/pricing/enterprise" },
  dashboard_url: "https://t.example.com/dashboard#/accounts/acme.com",
  test: false,
  ...over,
});

describe("jsonBody", () => {
  it("is SPEC §11's body, person and page only when known", () => {
    expect(JSON.parse(jsonBody(facts()))).toEqual({
      id: "dlv_1", alert: "alert_1", alert_name: "Pricing by targets", kind: "page_view", at: "2026-11-20T09:15:30.000Z",
      account: { domain: "acme.com", name: "Acme <Labs> & Co", segment: "target", score: 42.25, surging: true },
      person: { email_hash: "ab".repeat(32), email_domain: "acme.com" },
      page: { path: "/pricing/enterprise", url: "https://example.com/pricing/enterprise" },
      dashboard_url: "https://t.example.com/dashboard#/accounts/acme.com",
    });
    const surge = JSON.parse(jsonBody(facts({ alert: { id: "alert_2", name: "Surges", kind: "surging", path: null, threshold: null }, person: null, page: null, test: true })));
    expect(Object.keys(surge)).toEqual(["id", "alert", "alert_name", "kind", "at", "account", "dashboard_url", "test"]);
    expect(surge.test).toBe(true);
  });
});

describe("slackMessage", () => {
  it("the fixture takes Slack's own example and refuses what Slack refuses", () => {
    expect(SlackWebhookMessage.safeParse(SLACK_DOCS_EXAMPLE).success).toBe(true);
    const bad = [
      { text: "x", blocks: [{ type: "header", text: { type: "mrkdwn", text: "*bold*" } }] }, // headers are plain_text
      { text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] },
      { text: "x", blocks: [{ type: "section" }] }, // neither text nor fields
      { text: "x", blocks: [{ type: "section", fields: new Array(11).fill({ type: "mrkdwn", text: "f" }) }] },
      { text: "x", blocks: [{ type: "banner", text: "?" }] },
      { blocks: SLACK_DOCS_EXAMPLE.blocks }, // no fallback text
    ];
    for (const b of bad) expect(SlackWebhookMessage.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  });

  it("is a valid incoming-webhook message with the account, what happened, its score and surge, and a dashboard link", () => {
    const message = slackMessage(facts());
    expect(SlackWebhookMessage.parse(message)).toBeTruthy();
    expect(message).toEqual({
      text: "Acme <Labs> & Co viewed /pricing/enterprise (score 42.3, surging)",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Acme <Labs> & Co viewed /pricing/enterprise" } },
        {
          type: "section",
          // Slack's control characters escaped in mrkdwn, the link in Slack's <url|text> form.
          text: { type: "mrkdwn", text: "*Acme &lt;Labs&gt; &amp; Co* (acme.com) viewed /pricing/enterprise.\n<https://t.example.com/dashboard#/accounts/acme.com|Open the account in Foothold>" },
          fields: [
            { type: "mrkdwn", text: "*Score (30 days)*\n42.3" },
            { type: "mrkdwn", text: "*Surging*\nYes" },
            { type: "mrkdwn", text: "*Segment*\ntarget" },
            { type: "mrkdwn", text: "*Person*\nsomeone at acme.com" },
            { type: "mrkdwn", text: "*Page*\nhttps://example.com/pricing/enterprise" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "Alert *Pricing by targets* · 2026-11-20 09:15 UTC · delivery dlv_1" }] },
      ],
    });
  });

  it("stays valid for every kind, long names and a test", () => {
    const kinds = [
      { id: "a", name: "n".repeat(300), kind: "form_submit" as const, path: null, threshold: null },
      { id: "a", name: "Surges", kind: "surging" as const, path: null, threshold: null },
      { id: "a", name: "Hot", kind: "score_above" as const, path: null, threshold: 50 },
    ];
    for (const alert of kinds) {
      const m = slackMessage(facts({ alert, account: { domain: "x.com", name: "N".repeat(400), segment: null, score: 0, surging: false }, person: null, page: null, test: true }));
      expect(SlackWebhookMessage.safeParse(m).success, alert.kind).toBe(true);
      expect(m.text.startsWith("[test] ")).toBe(true);
    }
    expect(slackMessage(facts({ alert: kinds[2], page: null })).blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Acme <Labs> & Co passed a 30-day score of 50" } });
    expect(JSON.parse(alertBody("slack", facts())).blocks).toHaveLength(3);
  });
});

describe("signature", () => {
  it("is sha256= and the HMAC-SHA256 hex of the exact body", async () => {
    // printf %s '{"id":"dlv_1","kind":"page_view"}' | openssl dgst -sha256 -hmac whsec_test
    expect(await signature("whsec_test", '{"id":"dlv_1","kind":"page_view"}')).toBe("sha256=4365250caa15e5ed669a9774280f51216a5b1eab992628c9127a26fe88b9461a");
  });
});

describe("secret box", () => {
  it("opens what it sealed, only under the same deployment secret and purpose", async () => {
    const box = await seal("deploy-secret", "alert:a1", "whsec_abc");
    expect(box).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(box).not.toContain("whsec_abc");
    expect(await open("deploy-secret", "alert:a1", box)).toBe("whsec_abc");
    await expect(open("other-secret", "alert:a1", box)).rejects.toThrow();
    await expect(open("deploy-secret", "alert:a2", box)).rejects.toThrow();
    // Two seals of one secret differ (a fresh IV each time).
    expect(await seal("deploy-secret", "alert:a1", "whsec_abc")).not.toBe(box);
  });
});
