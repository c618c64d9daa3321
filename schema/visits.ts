import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Sessionizing state and the sessions it produces (SPEC §6 "Session"). Written only by the
// queue consumer.

export const visitors = sqliteTable("visitors", {
  anonymousId: text("anonymous_id").primaryKey(),
  siteId: text("site_id").notNull(),
  firstSeen: text("first_seen").notNull(),
  lastSeen: text("last_seen").notNull(),
  lastSessionId: text("last_session_id").notNull(),
  /** campaign key of the current session (a new, different campaign starts a new session) */
  lastCampaign: text("last_campaign"),
  userId: text("user_id"),
  isBot: integer("is_bot", { mode: "boolean" }).notNull().default(false),
});

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    anonymousId: text("anonymous_id").notNull(),
    siteId: text("site_id").notNull(),
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
    isBot: integer("is_bot", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("sessions_anonymous").on(t.anonymousId, t.startedAt), index("sessions_started").on(t.startedAt)],
);
