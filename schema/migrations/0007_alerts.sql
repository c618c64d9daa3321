-- Signals (SPEC §11): alert rules, their per-account cooldown and state, and deliveries.
-- Written by hand to match schema/alerts.ts (the lead regenerates the snapshot when merging).
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`segment` text,
	`path` text,
	`threshold` real,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`cooldown_hours` real NOT NULL,
	`secret` text NOT NULL,
	`dashboard_origin` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_accounts` (
	`rule_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`fired_at` text,
	`until` text,
	`delivery_id` text,
	`active` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rule_id`, `account_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`account_id` integer,
	`kind` text NOT NULL,
	`test` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_status` integer,
	`detail` text NOT NULL,
	`body` text,
	`created_at` text NOT NULL,
	`first_attempt_at` text,
	`next_at` text,
	`delivered_at` text
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_rule` ON `alert_deliveries` (`rule_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_pending` ON `alert_deliveries` (`next_at`) WHERE status = 'pending';
