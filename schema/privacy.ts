import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Erasure (SPEC §13): the log of erasures, the work each one fans out, what it removed, and the
// suppression list that drops an erased person's later events. Written by collector/privacy/*
// through collector/storage/privacy.ts and erasure-state.ts. Nothing here keeps an identifier in
// clear once its erasure is done: the log has counts, the suppression list keyed hashes.

/** One erasure: who asked, by what kind of key (never the key itself), and what it removed. */
export const erasures = sqliteTable(
  "erasures",
  {
    /** era_<uuid> */
    id: text("id").primaryKey(),
    /** running | done */
    status: text("status").notNull(),
    /** email | user_id | anonymous_id: the kind of identifier asked for, not its value */
    keyKind: text("key_kind").notNull(),
    /** "admin" (the ADMIN_TOKEN) or the API key's id */
    requestedBy: text("requested_by").notNull(),
    requestedAt: text("requested_at").notNull(),
    finishedAt: text("finished_at"),
    /** D1 state removed: visitors (devices and backend users), people, sessions */
    visitors: integer("visitors").notNull().default(0),
    people: integer("people").notNull().default(0),
    sessions: integer("sessions").notNull().default(0),
    /** later events (and rejects) dropped by the suppression list, per delivery */
    suppressed: integer("suppressed").notNull().default(0),
    /** totals folded in from erasure_files when the erasure is done */
    events: integer("events").notNull().default(0),
    rejects: integer("rejects").notNull().default(0),
    rawFiles: integer("raw_files").notNull().default(0),
    parquetFiles: integer("parquet_files").notNull().default(0),
    parquetRows: integer("parquet_rows").notNull().default(0),
    deadLetters: integer("dead_letters").notNull().default(0),
  },
  (t) => [index("erasures_requested").on(t.requestedAt)],
);

/**
 * The work of one erasure: `plan`, `d1`, `dead` and one `scan:<prefix>` per day folder of the
 * bucket (raw/dt=…/, rejects/dt=…/, events/dt=…/). Each is one queue message that continues
 * itself from `cursor` (the last object key it finished) until the folder is done.
 */
export const erasureTasks = sqliteTable(
  "erasure_tasks",
  {
    erasureId: text("erasure_id").notNull(),
    name: text("name").notNull(),
    /** pending | done */
    status: text("status").notNull(),
    cursor: text("cursor"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.erasureId, t.name] })],
);

/**
 * The identifiers a running erasure matches stored lines against (anonymous ids, user ids,
 * email hashes, as stored), in clear because the scan compares them with every line. Deleted
 * when the erasure is done.
 */
export const erasureKeys = sqliteTable(
  "erasure_keys",
  {
    erasureId: text("erasure_id").notNull(),
    /** anonymous_id | user_id | email_hash */
    kind: text("kind").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.erasureId, t.kind, t.value] })],
);

/**
 * Each object an erasure rewrote or deleted, with how many lines or rows it removed; written
 * before the object is, so a crash in between still counts it once. Parquet keys are kept after
 * the erasure is done: a warehouse that loaded those files reloads them.
 */
export const erasureFiles = sqliteTable(
  "erasure_files",
  {
    erasureId: text("erasure_id").notNull(),
    key: text("key").notNull(),
    /** raw | rejects | parquet | dead */
    kind: text("kind").notNull(),
    removed: integer("removed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.erasureId, t.key] })],
);

/**
 * The suppression list: HMAC-SHA256 (key: HASH_SECRET) of `<kind>:<value>` for every identifier an
 * erasure found. The consumer hashes a batch's identifiers and drops events whose hash is here.
 */
export const suppressions = sqliteTable("suppressions", {
  token: text("token").primaryKey(),
  erasureId: text("erasure_id").notNull(),
  /** anonymous_id | user_id | email_hash */
  kind: text("kind").notNull(),
  createdAt: text("created_at").notNull(),
});
