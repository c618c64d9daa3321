import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Signals (SPEC §11): alert rules, what each rule last did per account (cooldown, surge and
// score state), and every delivery with its attempts. Page and form rules fire from the queue
// consumer in its one transaction; surge and score rules from the hourly job.

export const alertRules = sqliteTable("alert_rules", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** page_view | form_submit | surging | score_above */
  kind: text("kind").notNull(),
  /** only accounts of this segment (lower-cased, as imported) */
  segment: text("segment"),
  /** page_view, form_submit: a path glob, `*` matching any characters */
  path: text("path"),
  /** score_above: the 30-day score it fires above */
  threshold: real("threshold"),
  url: text("url").notNull(),
  /** json | slack */
  format: text("format").notNull(),
  cooldownHours: real("cooldown_hours").notNull(),
  /** the signing secret, sealed with a key derived from HASH_SECRET (collector/auth/secret-box.ts) */
  secret: text("secret").notNull(),
  /** the collector's origin when the rule was made: the dashboard links in alerts point there */
  dashboardOrigin: text("dashboard_origin").notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * Per rule and account: the cooldown (until when it may not fire again, and the delivery that
 * claimed it), and for surging / score_above whether the account is in that state now, so only a
 * change into it fires. WITHOUT ROWID in the migration.
 */
export const alertAccounts = sqliteTable(
  "alert_accounts",
  {
    ruleId: text("rule_id").notNull(),
    accountId: integer("account_id").notNull(),
    firedAt: text("fired_at"),
    /** no alert of this rule for this account before this time (ISO) */
    until: text("until"),
    deliveryId: text("delivery_id"),
    /** surging / score_above: 1 while the account is surging or above the threshold */
    active: integer("active").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.accountId] })],
);

export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    /** also the X-Foothold-Delivery header, the same on every attempt */
    id: text("id").primaryKey(),
    ruleId: text("rule_id").notNull(),
    /** null for a test delivery */
    accountId: integer("account_id"),
    kind: text("kind").notNull(),
    test: integer("test").notNull().default(0),
    /** pending | delivered | failed */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** the last failed attempt's error, kept after a later success */
    lastError: text("last_error"),
    /** HTTP status of the last attempt (null: no answer) */
    lastStatus: integer("last_status"),
    /** JSON: what fired it (event time, visitor, page), as the consumer or the hourly job saw it */
    detail: text("detail").notNull(),
    /** the exact body sent, built on the first attempt and re-sent as is (signature and all) */
    body: text("body"),
    createdAt: text("created_at").notNull(),
    firstAttemptAt: text("first_attempt_at"),
    /** while pending: when the next attempt is due; the hourly sweep re-sends what is overdue */
    nextAt: text("next_at"),
    deliveredAt: text("delivered_at"),
  },
  (t) => [
    index("alert_deliveries_rule").on(t.ruleId, t.createdAt),
    index("alert_deliveries_pending").on(t.nextAt).where(sql`status = 'pending'`),
  ],
);
