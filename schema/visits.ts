import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Sessions (SPEC §6 "Session"), written only by the queue consumer. A session keeps a compact
// mark per event (collector/pipeline/marks.ts) instead of the events themselves, so the consumer
// can re-cut a visitor's sessions by time when a late event arrives, and the read models (pages
// per session, lead moments, journeys) never need the raw event log.

/**
 * Keyed by (anonymous_id, id), WITHOUT ROWID in the migration: every read knows the visitor, so the
 * key is the visitor index too, and the visitor id is stored once.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    anonymousId: text("anonymous_id").notNull(),
    /** allocated in order by the consumer (collector/storage/sequences.ts), never reused */
    id: integer("id").notNull(),
    startedAt: text("started_at").notNull(),
    endedAt: text("ended_at").notNull(),
    /** the touchpoint: the first page's channel, source, medium, campaign, landing page */
    channel: text("channel").notNull(),
    source: text("source"),
    medium: text("medium"),
    campaign: text("campaign"),
    landingPage: text("landing_page"),
    referrerHost: text("referrer_host"),
    pageviews: integer("pageviews").notNull().default(0),
    events: integer("events").notNull().default(0),
    /** the session's verdict from all its signals (SPEC §3); bot sessions are never counted */
    isBot: integer("is_bot", { mode: "boolean" }).notNull().default(false),
    botReason: text("bot_reason"),
    /** JSON: the session's events as marks, in time order */
    marks: text("marks").notNull().default("[]"),
  },
  // is_bot and channel in sessions_started: counting a window's human visitors, and its sessions
  // per channel (traffic by channel, the Markov chain's journeys), read the index alone instead of
  // a row per session, each row holding its marks (about 2 B of D1 per event; bench/pipeline.mjs).
  (t) => [primaryKey({ columns: [t.anonymousId, t.id] }), index("sessions_started").on(t.startedAt, t.isBot, t.channel)],
);

/** Page paths by number: a mark names its page by id, a few bytes instead of the path. */
export const paths = sqliteTable("paths", {
  id: integer("id").primaryKey(),
  path: text("path").notNull().unique(),
});
