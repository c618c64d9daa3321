import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Accounts, who belongs to them, and the rollups the account reads are served from (SPEC §4–§6).
// Written by the queue consumer (identity writer) and by PUT /v1/accounts; no API read touches
// the raw event log.

/** A company. `id` is a random integer chosen by the writer, so one D1 batch can create and use it. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: integer("id").primaryKey(),
    /** primary registrable domain; also listed in account_domains */
    domain: text("domain").notNull().unique(),
    name: text("name"),
    crmId: text("crm_id").unique(),
    /** e.g. target, customer */
    segment: text("segment"),
    /** import (PUT /v1/accounts), email (an unknown business email domain), group (a group call naming a domain) */
    source: text("source").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("accounts_segment").on(t.segment)],
);

/** Every domain of every account (the primary one too), for email and group matching. */
export const accountDomains = sqliteTable(
  "account_domains",
  {
    domain: text("domain").primaryKey(),
    accountId: integer("account_id").notNull(),
  },
  (t) => [index("account_domains_account").on(t.accountId)],
);

export const accountAsns = sqliteTable(
  "account_asns",
  {
    asn: integer("asn").primaryKey(),
    accountId: integer("account_id").notNull(),
  },
  (t) => [index("account_asns_account").on(t.accountId)],
);

/** One person per email hash: the same address on several devices is one person (SPEC §5). */
export const people = sqliteTable(
  "people",
  {
    /** sha-256 hex of the lower-cased email; the address itself is never stored */
    id: text("id").primaryKey(),
    emailDomain: text("email_domain"),
    firstSeen: text("first_seen").notNull(),
    lastSeen: text("last_seen").notNull(),
  },
  (t) => [index("people_email_domain").on(t.emailDomain)],
);

/**
 * A visitor's identity: the person it is, the account it resolved to (method, confidence) and
 * the evidence the resolution was computed from, so it can be recomputed when accounts change.
 */
export const visitorIdentities = sqliteTable(
  "visitor_identities",
  {
    anonymousId: text("anonymous_id").primaryKey(),
    siteId: text("site_id").notNull(),
    personId: text("person_id"),
    accountId: integer("account_id"),
    /** group | email | asn (SPEC §5), null while unresolved */
    method: text("method"),
    confidence: real("confidence"),
    resolvedAt: text("resolved_at"),
    /** the latest group call or context.groupId, as sent */
    groupId: text("group_id"),
    groupAt: text("group_at"),
    asn: integer("asn"),
    asOrg: text("as_org"),
    /** the latest userId the visitor's events carried: visitors sharing one are one person */
    userId: text("user_id"),
    firstSeen: text("first_seen").notNull(),
    lastSeen: text("last_seen").notNull(),
  },
  // Partial indexes: most visitors have no account, person, group or userId, and a lookup by a
  // value never needs the rows without one.
  (t) => [
    index("visitor_identities_account").on(t.accountId).where(sql`account_id IS NOT NULL`),
    index("visitor_identities_person").on(t.personId).where(sql`person_id IS NOT NULL`),
    index("visitor_identities_group").on(t.groupId).where(sql`group_id IS NOT NULL`),
    index("visitor_identities_asn").on(t.asn).where(sql`asn IS NOT NULL`),
    index("visitor_identities_user").on(t.userId).where(sql`user_id IS NOT NULL`),
  ],
);

/** Activity counters shared by the per-visitor and per-account day rollups (SPEC §6 weights). */
const counters = () => ({
  pageViews: integer("page_views").notNull().default(0),
  highIntentPageViews: integer("high_intent_page_views").notNull().default(0),
  formStarts: integer("form_starts").notNull().default(0),
  formSubmits: integer("form_submits").notNull().default(0),
  /** integer milliseconds, so moving rollups between accounts adds and subtracts exactly */
  engagedMs: integer("engaged_ms").notNull().default(0),
  events: integer("events").notNull().default(0),
  /** sessions that started this day */
  sessions: integer("sessions").notNull().default(0),
});

/**
 * One visitor's activity on one UTC day (human sessions only), tagged with the account it currently
 * counts for. WITHOUT ROWID in the migration: the primary key is the table.
 */
export const visitorDays = sqliteTable(
  "visitor_days",
  {
    anonymousId: text("anonymous_id").notNull(),
    day: text("day").notNull(),
    accountId: integer("account_id"),
    ...counters(),
  },
  (t) => [primaryKey({ columns: [t.anonymousId, t.day] }), index("visitor_days_account_day").on(t.accountId, t.day)],
);

/**
 * The sum of visitor_days per account and day, kept incrementally, plus running sums so that
 * GET /v1/accounts reads two rows per account whatever the window (SPEC §9 budget):
 * a window's total is the running sum at its last day minus the one before its first day.
 */
export const accountDays = sqliteTable(
  "account_days",
  {
    accountId: integer("account_id").notNull(),
    day: text("day").notNull(),
    ...counters(),
    /** the day's weighted activity (SPEC §6 weights) × 2^((day − epoch) / half-life); see collector/accounts/scoring.ts */
    ws: real("ws").notNull().default(0),
    /** running sums over the account's days up to and including this one */
    runWs: real("run_ws").notNull().default(0),
    runSessions: integer("run_sessions").notNull().default(0),
    runPageviews: integer("run_pageviews").notNull().default(0),
    runFormSubmits: integer("run_form_submits").notNull().default(0),
    runEngagedMs: integer("run_engaged_ms").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);

/**
 * The moments an account timeline shows besides sessions: identify, group and form events. Each
 * event reaches here once (the consumer dedupes before it writes), so no message id is kept.
 */
export const visitorMoments = sqliteTable(
  "visitor_moments",
  {
    anonymousId: text("anonymous_id").notNull(),
    at: text("at").notNull(),
    /** identify | group | form_start | form_submit | form_abandon */
    kind: text("kind").notNull(),
    /** JSON: form name and fields, hashed email and domain, group id */
    detail: text("detail").notNull(),
  },
  // WITHOUT ROWID in the migration: the key (visitor, time, kind) is the visitor index too.
  (t) => [primaryKey({ columns: [t.anonymousId, t.at, t.kind] })],
);

/** Per-deployment settings as JSON rows (key "engagement": SPEC §6 weights, page rules, half-life). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: text("updated_at").notNull(),
});
