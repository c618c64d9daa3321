import type { RejectedEvent } from "../events";
import type { SessionDelta, SessionizedEvent, VisitorState } from "../pipeline/sessionize";
import { jsonChunks } from "./db";

// The consumer's reads and writes. Writes are returned as statements so the consumer commits
// them in one db.batch (one transaction): a failure leaves nothing half-written.

/** message_ids of these events that are already stored. */
export async function storedMessageIds(d1: D1Database, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare("SELECT message_id FROM events WHERE message_id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ message_id: string }>();
    for (const r of results) found.add(r.message_id);
  }
  return found;
}

export async function visitorStates(d1: D1Database, ids: string[]): Promise<Map<string, VisitorState>> {
  const out = new Map<string, VisitorState>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare(
        `SELECT anonymous_id, site_id, first_seen, last_seen, last_session_id, last_campaign, user_id, is_bot
         FROM visitors WHERE anonymous_id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(chunk)
      .all<Omit<VisitorState, "is_bot"> & { is_bot: number }>();
    for (const r of results) out.set(r.anonymous_id, { ...r, is_bot: Boolean(r.is_bot) });
  }
  return out;
}

export function insertEvents(d1: D1Database, events: SessionizedEvent[]): D1PreparedStatement[] {
  return jsonChunks(events).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO events (message_id, site_id, type, anonymous_id, session_id, timestamp, received_at, data)
         SELECT value ->> '$.message_id', value ->> '$.site_id', value ->> '$.type', value ->> '$.anonymous_id',
                value ->> '$.session_id', value ->> '$.timestamp', value ->> '$.received_at', value
         FROM json_each(?1) WHERE true
         ON CONFLICT (message_id) DO NOTHING`,
      )
      .bind(chunk),
  );
}

export function upsertSessions(d1: D1Database, sessions: SessionDelta[]): D1PreparedStatement[] {
  return jsonChunks(sessions).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO sessions (id, anonymous_id, site_id, started_at, ended_at, channel, source, medium, campaign,
                               landing_page, referrer_host, pageviews, events, is_bot)
         SELECT value ->> '$.id', value ->> '$.anonymous_id', value ->> '$.site_id', value ->> '$.started_at',
                value ->> '$.ended_at', value ->> '$.channel', value ->> '$.source', value ->> '$.medium',
                value ->> '$.campaign', value ->> '$.landing_page', value ->> '$.referrer_host',
                value ->> '$.pageviews', value ->> '$.events', value ->> '$.is_bot'
         FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO UPDATE SET
           -- A stored session without a page view takes its touchpoint from the first page that arrives.
           channel = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.channel, sessions.channel),
           source = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.source, sessions.source),
           medium = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.medium, sessions.medium),
           campaign = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.campaign, sessions.campaign),
           landing_page = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.landing_page, sessions.landing_page),
           referrer_host = iif(sessions.pageviews = 0 AND excluded.pageviews > 0, excluded.referrer_host, sessions.referrer_host),
           started_at = min(started_at, excluded.started_at),
           ended_at = max(ended_at, excluded.ended_at),
           pageviews = pageviews + excluded.pageviews,
           events = events + excluded.events,
           is_bot = is_bot OR excluded.is_bot`,
      )
      .bind(chunk),
  );
}

export function upsertVisitors(d1: D1Database, visitors: VisitorState[]): D1PreparedStatement[] {
  return jsonChunks(visitors).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO visitors (anonymous_id, site_id, first_seen, last_seen, last_session_id, last_campaign, user_id, is_bot)
         SELECT value ->> '$.anonymous_id', value ->> '$.site_id', value ->> '$.first_seen', value ->> '$.last_seen',
                value ->> '$.last_session_id', value ->> '$.last_campaign', value ->> '$.user_id', value ->> '$.is_bot'
         FROM json_each(?1) WHERE true
         ON CONFLICT (anonymous_id) DO UPDATE SET
           first_seen = excluded.first_seen, last_seen = excluded.last_seen,
           last_session_id = excluded.last_session_id, last_campaign = excluded.last_campaign,
           user_id = excluded.user_id, is_bot = excluded.is_bot`,
      )
      .bind(chunk),
  );
}

export function insertRejects(d1: D1Database, rejects: RejectedEvent[]): D1PreparedStatement[] {
  return jsonChunks(rejects).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO rejects (reject_id, site_id, received_at, code, reason, payload)
         SELECT value ->> '$.reject_id', value ->> '$.site_id', value ->> '$.received_at', value ->> '$.code',
                value ->> '$.reason', value ->> '$.payload'
         FROM json_each(?1) WHERE true
         ON CONFLICT (reject_id) DO NOTHING`,
      )
      .bind(chunk),
  );
}
