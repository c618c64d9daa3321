// What an alert says about its account, read when the delivery is first attempted (after the
// batch that fired it committed, so its event counts): the 30-day score and the surge flag as
// GET /v1/accounts shows them, and the visitor's person (hashed email and domain).
import { asActivity, round4 } from "../accounts/ranking";
import { shiftDay } from "../accounts/window";
import { score } from "../engagement/score";
import { surging, weeklyActivity } from "../engagement/surge";
import { readScoring } from "../storage/accounts-settings";
import { accountDaysOf } from "../storage/accounts-read";
import { accountsById, type DeliveryJob } from "../storage/alerts";
import { identitiesOf, peopleOf } from "../storage/identity";
import type { AlertFacts } from "./payload";

/** What the consumer or the hourly check recorded when the rule fired. */
export interface FiringDetail {
  at: string;
  visitor: string | null;
  page: { path: string; url: string | null } | null;
}

export const dashboardUrl = (origin: string, domain: string) => `${origin.replace(/\/+$/, "")}/dashboard#/accounts/${encodeURIComponent(domain)}`;

export async function accountFacts(d1: D1Database, accountId: number, now: Date): Promise<AlertFacts["account"] | null> {
  const today = now.toISOString().slice(0, 10);
  const [accounts, scoring, days] = await Promise.all([accountsById(d1, [accountId]), readScoring(d1), accountDaysOf(d1, [accountId], shiftDay(today, -29), today)]);
  const account = accounts.get(accountId);
  if (!account) return null;
  const activity = days.map(asActivity);
  return {
    domain: account.domain,
    name: account.name,
    segment: account.segment,
    score: round4(score(activity, today, scoring.settings).score),
    surging: surging(weeklyActivity(activity, today, scoring.settings)),
  };
}

async function personOf(d1: D1Database, visitor: string | null): Promise<AlertFacts["person"]> {
  if (visitor === null) return null;
  const [identity] = await identitiesOf(d1, [visitor]);
  if (!identity?.person_id) return null;
  const [person] = await peopleOf(d1, [identity.person_id]);
  return { email_hash: identity.person_id, email_domain: person?.email_domain ?? null };
}

/** A made-up account for POST /v1/alerts/:id/test, shaped like the rule's real alerts. */
function sampleFacts(job: DeliveryJob, detail: FiringDetail): AlertFacts {
  const path = job.rule.path === null ? null : job.rule.path.replace(/\*/g, "") || "/";
  return {
    id: job.id,
    alert: { id: job.rule_id, name: job.rule.name, kind: job.rule.kind, path: job.rule.path, threshold: job.rule.threshold },
    at: detail.at,
    account: { domain: "example.com", name: "Example Inc (sample)", segment: "target", score: job.rule.threshold !== null ? job.rule.threshold + 1 : 42.5, surging: job.rule.kind === "surging" },
    person: job.rule.kind === "page_view" || job.rule.kind === "form_submit" ? { email_hash: "0".repeat(64), email_domain: "example.com" } : null,
    page: path === null ? null : { path, url: `https://example.com${path}` },
    dashboard_url: dashboardUrl(job.rule.dashboard_origin, "example.com"),
    test: true,
  };
}

/** The facts of a delivery, or null when its account no longer exists (merged or deleted). */
export async function deliveryFacts(d1: D1Database, job: DeliveryJob, now: Date): Promise<AlertFacts | null> {
  const detail = JSON.parse(job.detail) as FiringDetail;
  if (job.test || job.account_id === null) return sampleFacts(job, detail);
  const [account, person] = await Promise.all([accountFacts(d1, job.account_id, now), personOf(d1, detail.visitor)]);
  if (!account) return null;
  return {
    id: job.id,
    alert: { id: job.rule_id, name: job.rule.name, kind: job.rule.kind, path: job.rule.path, threshold: job.rule.threshold },
    at: detail.at,
    account,
    person,
    page: detail.page,
    dashboard_url: dashboardUrl(job.rule.dashboard_origin, account.domain),
    test: false,
  };
}
