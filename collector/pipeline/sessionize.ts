import type { EnrichedEvent } from "../events";
import { campaignKey } from "../ingest/enrich/campaign";

/** SPEC §6: a gap over 30 minutes, or a new campaign, starts a new session. */
export const SESSION_GAP_MS = 30 * 60_000;

export interface VisitorState {
  anonymous_id: string;
  site_id: string;
  first_seen: string;
  last_seen: string;
  last_session_id: string;
  last_campaign: string | null;
  user_id: string | null;
  is_bot: boolean;
}

/** A session row's increment: inserted when new, added onto when it exists. */
export interface SessionDelta {
  id: string;
  anonymous_id: string;
  site_id: string;
  started_at: string;
  ended_at: string;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
  referrer_host: string | null;
  pageviews: number;
  events: number;
  is_bot: boolean;
}

export type SessionizedEvent = EnrichedEvent & { session_id: string | null };

/** The session's touchpoint, GA-style: source/medium fall back to the referrer, or (direct)/(none). */
function touchpoint(e: EnrichedEvent) {
  const source = e.utm_source ?? e.referrer_host ?? (e.gclid ? "google" : e.msclkid ? "bing" : "(direct)");
  const medium = e.utm_medium ?? (e.gclid || e.msclkid ? "cpc" : e.referrer_host ? (e.channel === "Organic Search" ? "organic" : "referral") : "(none)");
  return { channel: e.channel, source, medium, campaign: e.utm_campaign, landing_page: e.path, referrer_host: e.referrer_host };
}

const ms = (iso: string) => Date.parse(iso);

/**
 * Assigns each new event to a session, given what is known of its visitor. Pure: the same
 * state and events give the same sessions (session ids derive from the first event's id), so
 * a retried queue message writes exactly what the failed attempt would have.
 */
export function sessionize(
  known: Map<string, VisitorState>,
  events: EnrichedEvent[],
): { events: SessionizedEvent[]; sessions: SessionDelta[]; visitors: VisitorState[] } {
  const state = new Map(known);
  const sessions = new Map<string, SessionDelta>();
  const touched = new Set<string>();
  // At the same instant a page view comes first: it is what gives a session its touchpoint.
  const pageFirst = (e: EnrichedEvent) => (e.type === "page" ? 0 : 1);
  const sorted = [...events].sort(
    (a, b) => ms(a.timestamp) - ms(b.timestamp) || pageFirst(a) - pageFirst(b) || (a.message_id < b.message_id ? -1 : 1),
  );
  const out: SessionizedEvent[] = [];

  for (const e of sorted) {
    if (!e.anonymous_id) {
      // A backend call about a user (userId only) belongs to no browsing session.
      out.push({ ...e, session_id: null });
      continue;
    }
    const v = state.get(e.anonymous_id);
    const campaign = campaignKey(e);
    const continues =
      v !== undefined &&
      Math.abs(ms(e.timestamp) - ms(v.last_seen)) <= SESSION_GAP_MS &&
      (campaign === null || campaign === v.last_campaign);
    const sessionId = continues ? v.last_session_id : `s_${e.message_id}`;
    // A late event (older than the visitor's last) never moves the visitor's current session.
    const newest = v === undefined || e.timestamp >= v.last_seen;
    const next: VisitorState = {
      anonymous_id: e.anonymous_id,
      site_id: v?.site_id ?? e.site_id,
      first_seen: v && v.first_seen < e.timestamp ? v.first_seen : e.timestamp,
      last_seen: v && v.last_seen > e.timestamp ? v.last_seen : e.timestamp,
      last_session_id: newest ? sessionId : v.last_session_id,
      last_campaign: !newest ? v.last_campaign : continues ? v.last_campaign : campaign,
      user_id: e.user_id ?? v?.user_id ?? null,
      is_bot: (v?.is_bot ?? false) || e.is_bot,
    };
    state.set(e.anonymous_id, next);
    touched.add(e.anonymous_id);

    const s = sessions.get(sessionId) ?? {
      id: sessionId,
      anonymous_id: e.anonymous_id,
      site_id: e.site_id,
      started_at: e.timestamp,
      ended_at: e.timestamp,
      ...touchpoint(e),
      pageviews: 0,
      events: 0,
      is_bot: false,
    };
    s.ended_at = s.ended_at > e.timestamp ? s.ended_at : e.timestamp;
    s.started_at = s.started_at < e.timestamp ? s.started_at : e.timestamp;
    s.events += 1;
    if (e.type === "page") {
      // The touchpoint is the first page's, even when an identify or track came before it.
      if (s.pageviews === 0) Object.assign(s, touchpoint(e));
      s.pageviews += 1;
    }
    s.is_bot ||= e.is_bot;
    sessions.set(sessionId, s);
    out.push({ ...e, session_id: sessionId });
  }
  return { events: out, sessions: [...sessions.values()], visitors: [...touched].map((id) => state.get(id)!) };
}
