import { blob, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

// What the consumer keeps per message instead of the event itself (SPEC §12): an 80-bit key of
// the message id and the UTC day its first copy arrived, so a re-send inside the dedupe window
// counts once. Keyed by (day, key) so retention drops whole days by range; lookups probe each day
// of the window. WITHOUT ROWID in the migration: the key is the table, no second copy in an index.
export const dedupeKeys = sqliteTable(
  "dedupe_keys",
  {
    /** days since 1970-01-01 (UTC) of the first copy's arrival */
    day: integer("day").notNull(),
    /** the first 10 bytes of SHA-256(message_id) */
    k: blob("k", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.k] })],
);

// The archive ledger: every raw NDJSON object in R2 that holds committed events (stream "raw")
// or refused ones ("rejects"), written in the same D1 transaction as the rest of its batch.
// What this table does not list does not exist: an object written by a batch that then failed is
// never exported and is cleaned up. Each line of an object carries its `seq`; seqs only grow, so
// the export pages by seq and never skips or repeats. The object key is derived from
// (stream, dt, first_seq): see collector/storage/archive.ts.
export const archiveObjects = sqliteTable(
  "archive_objects",
  {
    stream: text("stream").notNull(),
    firstSeq: integer("first_seq").notNull(),
    lastSeq: integer("last_seq").notNull(),
    /** receive date, the dt= partition */
    dt: text("dt").notNull(),
    /** lines in the object now (an erasure removes some) */
    rows: integer("rows").notNull(),
    /** newest event time in the object, epoch seconds: retention deletes by event time */
    maxTs: integer("max_ts").notNull(),
    /** when the batch committed, epoch seconds */
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.firstSeq] })],
);
