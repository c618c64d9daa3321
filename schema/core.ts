import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Sites that send events, and the API keys that read them.

export const sites = sqliteTable("sites", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON array of registrable domains whose pages may send events (Origin check) */
  domains: text("domains").notNull(),
  /** public by design (it is in every page), so stored as is */
  writeKey: text("write_key").notNull().unique(),
  createdAt: text("created_at").notNull(),
});

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** JSON array of scopes: read, import, export, admin */
  scopes: text("scopes").notNull(),
  /** SHA-256 hex of the secret; the secret is shown once and never stored */
  keyHash: text("key_hash").notNull().unique(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
});

// The event log: one row per accepted event, deduped on message_id. `seq` is the export cursor:
// it only grows, and rows are written in one transaction per queue message, so a reader that
// pages by seq never skips or repeats.
export const events = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    messageId: text("message_id").notNull().unique(),
    siteId: text("site_id").notNull(),
    type: text("type").notNull(),
    anonymousId: text("anonymous_id"),
    sessionId: text("session_id"),
    timestamp: text("timestamp").notNull(),
    receivedAt: text("received_at").notNull(),
    /** the whole EnrichedEvent as JSON */
    data: text("data").notNull(),
  },
  (t) => [index("events_anonymous_ts").on(t.anonymousId, t.timestamp)],
);

export const rejects = sqliteTable(
  "rejects",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    rejectId: text("reject_id").notNull().unique(),
    siteId: text("site_id"),
    receivedAt: text("received_at").notNull(),
    code: text("code").notNull(),
    reason: text("reason").notNull(),
    payload: text("payload").notNull(),
  },
);

// Dead-lettered queue messages, parked for replay (POST /v1/dead-letters/replay).
export const deadLetters = sqliteTable("dead_letters", {
  id: text("id").primaryKey(),
  parkedAt: text("parked_at").notNull(),
  attempts: integer("attempts").notNull(),
  /** the QueueMessageBody as JSON */
  body: text("body").notNull(),
  replayedAt: text("replayed_at"),
});

