// The bodies an alert is sent as (SPEC §11): `json` for any receiver, `slack` for a Slack
// incoming webhook (Block Kit: a header, a section with fields, a context line). Pure; built once
// per delivery and re-sent byte for byte on every retry, so the signature stays the same.
import type { KnownBlock } from "@slack/types";
import { hex } from "../bytes";
import type { AlertKind } from "./rules";

export interface AlertFacts {
  /** the delivery id (X-Foothold-Delivery) */
  id: string;
  alert: { id: string; name: string; kind: AlertKind; path: string | null; threshold: number | null };
  /** when it happened: the event's time, or the hourly check's */
  at: string;
  account: { domain: string; name: string | null; segment: string | null; score: number; surging: boolean };
  person: { email_hash: string; email_domain: string | null } | null;
  page: { path: string; url: string | null } | null;
  dashboard_url: string;
  /** a sample sent by POST /v1/alerts/:id/test */
  test: boolean;
}

/** SPEC §11's JSON body (plus `alert_name`, and `test: true` on samples). */
export function jsonBody(f: AlertFacts): string {
  return JSON.stringify({
    id: f.id,
    alert: f.alert.id,
    alert_name: f.alert.name,
    kind: f.alert.kind,
    at: f.at,
    account: f.account,
    ...(f.person ? { person: f.person } : {}),
    ...(f.page ? { page: f.page } : {}),
    dashboard_url: f.dashboard_url,
    ...(f.test ? { test: true } : {}),
  });
}

/** An incoming-webhook message: `text` is the notification's fallback, `blocks` what Slack shows. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

// Block Kit limits (docs.slack.dev/reference/block-kit): header text 150, section text 3000, field 2000.
const HEADER_MAX = 150;
const FIELD_MAX = 2000;

/** Slack's mrkdwn control characters; everything from visitors and imports goes through here. */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** What happened, in words: "viewed /pricing/enterprise", "started surging". */
export function happened(f: Pick<AlertFacts, "alert" | "page">): string {
  switch (f.alert.kind) {
    case "page_view":
      return `viewed ${f.page?.path ?? f.alert.path ?? "a page"}`;
    case "form_submit":
      return f.page ? `submitted a form on ${f.page.path}` : "submitted a form";
    case "surging":
      return "started surging";
    case "score_above":
      return `passed a 30-day score of ${f.alert.threshold ?? 0}`;
  }
}

const scoreText = (n: number) => (Math.round(n * 10) / 10).toLocaleString("en-US");

export function slackMessage(f: AlertFacts): SlackMessage {
  const who = f.account.name ?? f.account.domain;
  const what = happened(f);
  const sample = f.test ? "[test] " : "";
  const fields: { type: "mrkdwn"; text: string }[] = [
    { type: "mrkdwn", text: `*Score (30 days)*\n${scoreText(f.account.score)}` },
    { type: "mrkdwn", text: `*Surging*\n${f.account.surging ? "Yes" : "No"}` },
    { type: "mrkdwn", text: `*Segment*\n${slackEscape(f.account.segment ?? "none")}` },
  ];
  if (f.person) fields.push({ type: "mrkdwn", text: `*Person*\nsomeone at ${slackEscape(f.person.email_domain ?? "an unknown domain")}` });
  if (f.page?.url) fields.push({ type: "mrkdwn", text: clip(`*Page*\n${slackEscape(f.page.url)}`, FIELD_MAX) });
  const at = f.at.slice(0, 16).replace("T", " ");
  return {
    text: `${sample}${who} ${what} (score ${scoreText(f.account.score)}${f.account.surging ? ", surging" : ""})`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(`${sample}${who} ${what}`, HEADER_MAX) } },
      {
        type: "section",
        text: { type: "mrkdwn", text: clip(`*${slackEscape(who)}* (${slackEscape(f.account.domain)}) ${slackEscape(what)}.\n<${f.dashboard_url}|Open the account in Foothold>`, 3000) },
        fields,
      },
      { type: "context", elements: [{ type: "mrkdwn", text: clip(`Alert *${slackEscape(f.alert.name)}* · ${at} UTC · delivery ${f.id}`, FIELD_MAX) }] },
    ],
  };
}

export const alertBody = (format: "json" | "slack", f: AlertFacts): string => (format === "slack" ? JSON.stringify(slackMessage(f)) : jsonBody(f));

const encoder = new TextEncoder();

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the rule's secret (X-Foothold-Signature). */
export async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${hex(mac)}`;
}
