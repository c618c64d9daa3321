// GET /v1/deals/:id/journey: the deal, its account's visitors and their sessions in the lookback
// before the close (before now for a deal not closed yet), the forms they filled in, and the
// summary the revenue report's medians are made of (revenue/journeys.ts). Not pure (it reads D1).
import { journeySummary } from "../revenue/journeys";
import { DAY_MS, DEFAULT_LOOKBACK_DAYS } from "../revenue/types";
import { visitorsOfAccount } from "../storage/accounts-people";
import { dealById, formMomentsBetween, sessionsBetween } from "../storage/marketing";
import { pathsOf } from "../storage/sessions";
import { type JourneyEvent, journeyEvents, touchOf } from "./journey";

/** The path ids of a session's page marks ([dt, code, x?]: kind 0 is a page, x its path id). */
function pageIdsOf(marks: string): number[] {
  try {
    const raw: unknown = JSON.parse(marks);
    return Array.isArray(raw) ? raw.filter((m): m is number[] => Array.isArray(m) && (Number(m[1]) & 7) === 0 && typeof m[2] === "number").map((m) => m[2]) : [];
  } catch {
    return [];
  }
}

/** Visitors read per account, as the account timeline does; more are left out and flagged. */
const MAX_VISITORS = 2_000;

export async function dealJourney(d1: D1Database, id: string, now: Date) {
  const deal = await dealById(d1, id);
  if (!deal) return null;
  const endMs = deal.closed_at ? Date.parse(deal.closed_at) : now.getTime();
  const from = new Date(endMs - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString();
  const to = new Date(endMs).toISOString();

  const visitors = await visitorsOfAccount(d1, deal.account_id, MAX_VISITORS + 1);
  const kept = visitors.slice(0, MAX_VISITORS);
  const ids = kept.map((v) => v.anonymous_id);
  const [sessions, moments] = await Promise.all([sessionsBetween(d1, ids, from, to), formMomentsBetween(d1, ids, from, to)]);
  sessions.sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id - b.id));

  const personOf = new Map(kept.map((v) => [v.anonymous_id, v.person_id]));
  const pathOf = await pathsOf(d1, sessions.flatMap((s) => pageIdsOf(s.marks)));

  const summary = journeySummary(sessions.map(touchOf), {
    id: deal.id, account_id: String(deal.account_id), amount: deal.amount, currency: deal.currency, won: deal.won,
    created_at: deal.created_at ? Date.parse(deal.created_at) : null, closed_at: endMs,
  });
  const events: JourneyEvent[] = journeyEvents(sessions, moments, pathOf, personOf, endMs);
  const people = new Set(sessions.map((s) => personOf.get(s.anonymous_id)).filter((p): p is string => !!p));
  return {
    deal: {
      id: deal.id, amount: deal.amount, currency: deal.currency, stage: deal.stage, created_at: deal.created_at, closed_at: deal.closed_at, won: deal.won,
      account: deal.domain ? { domain: deal.domain, name: deal.name, segment: deal.segment } : null,
    },
    lookback_days: DEFAULT_LOOKBACK_DAYS,
    first_touch_at: summary.first_touch_at === null ? null : new Date(summary.first_touch_at).toISOString(),
    days_to_close: deal.closed_at ? summary.days_to_close : null,
    touches: summary.touches,
    people: people.size,
    visitors: summary.visitors,
    channels: summary.channels,
    touchpoints: sessions.map((s) => ({
      at: s.started_at, session_id: s.id, anonymous_id: s.anonymous_id, person_id: personOf.get(s.anonymous_id) ?? null, channel: s.channel,
      source: s.source, medium: s.medium, campaign: s.campaign, landing_page: s.landing_page, pageviews: s.pageviews,
    })),
    events,
    truncated: visitors.length > MAX_VISITORS,
  };
}
