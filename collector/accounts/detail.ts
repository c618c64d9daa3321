// GET /v1/accounts/:domain: one account's counts, score with its components, weekly momentum,
// daily series, top pages, people and how each visitor was resolved. Rollups only.
import { score } from "../engagement/score";
import type { EngagementSettings } from "../engagement/settings";
import { surging, weeklyActivity } from "../engagement/surge";
import type { AccountRow } from "../storage/accounts";
import { peopleOfAccount, visitorsOfAccount } from "../storage/accounts-people";
import { accountDaysOf, audienceOf, dailyVisitors, domainsAndAsnsOf, seenOf, topPages } from "../storage/accounts-read";
import { dailyPoint } from "./daily";
import { asActivity, round4 } from "./ranking";
import { shiftDay, type Window } from "./window";

const LIST_LIMIT = 500;

export async function accountDetail(d1: D1Database, account: AccountRow, window: Window, settings: EngagementSettings) {
  const id = account.id;
  const asOf = window.to;
  const since = [window.from, shiftDay(asOf, -27)].sort()[0];
  const [keys, days, audience, seen, visitorsByDay, pages, people, visitors] = await Promise.all([
    domainsAndAsnsOf(d1, id),
    accountDaysOf(d1, [id], since, asOf),
    audienceOf(d1, [id], window.from, window.to),
    seenOf(d1, [id]),
    dailyVisitors(d1, id, window.from, window.to),
    topPages(d1, id, window.from, window.to, 20),
    peopleOfAccount(d1, id, LIST_LIMIT),
    visitorsOfAccount(d1, id, LIST_LIMIT),
  ]);
  const windowDays = days.filter((d) => d.day >= window.from);
  const s = score(windowDays.map(asActivity), asOf, settings);
  const weekly = weeklyActivity(days.map(asActivity), asOf, settings);
  const sum = (k: "sessions" | "page_views" | "high_intent_page_views" | "form_starts" | "form_submits" | "engaged_ms" | "events") =>
    windowDays.reduce((n, d) => n + d[k], 0);

  return {
    account: {
      domain: account.domain, name: account.name, segment: account.segment, crm_id: account.crm_id, source: account.source,
      domains: keys.domains, asns: keys.asns, created_at: account.created_at,
    },
    window,
    counts: {
      visitors: audience.get(id)?.visitors ?? 0,
      people: audience.get(id)?.people ?? 0,
      sessions: sum("sessions"),
      pageviews: sum("page_views") + sum("high_intent_page_views"),
      high_intent_pageviews: sum("high_intent_page_views"),
      form_starts: sum("form_starts"),
      form_submits: sum("form_submits"),
      engaged_seconds: Math.round(sum("engaged_ms") / 1000),
      events: sum("events"),
      first_seen: seen.get(id)?.first_seen ?? null,
      last_seen: seen.get(id)?.last_seen ?? null,
    },
    score: {
      value: round4(s.score),
      as_of: asOf,
      half_life_days: settings.half_life_days,
      components: Object.fromEntries(Object.entries(s.components).map(([k, v]) => [k, round4(v)])),
    },
    surging: surging(weekly),
    weekly: { this_week: { weighted: round4(weekly.thisWeek.weighted), events: weekly.thisWeek.events }, previous_weeks: weekly.previous.map(round4) },
    // The list's series (accounts/daily.ts) plus distinct visitors, which only this route reads.
    daily: windowDays.map((d) => ({ ...dailyPoint(d), visitors: visitorsByDay.get(d.day) ?? 0 })),
    top_pages: pages,
    // Emails are stored hashed (SPEC §13): a person is their email's keyed hash and its domain.
    people: people.map((p) => ({ id: p.id, email_hash: p.id, email_domain: p.email_domain, first_seen: p.first_seen, last_seen: p.last_seen, devices: p.devices })),
    visitors: visitors.map((v) => ({
      anonymous_id: v.anonymous_id,
      person_id: v.person_id,
      method: v.method,
      confidence: v.confidence,
      resolved_at: v.resolved_at,
      evidence: { group_id: v.group_id, email_domain: v.email_domain, asn: v.asn, as_org: v.as_org },
      first_seen: v.first_seen,
      last_seen: v.last_seen,
    })),
  };
}
