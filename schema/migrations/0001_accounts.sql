CREATE TABLE `account_asns` (
	`asn` integer PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `account_asns_account` ON `account_asns` (`account_id`);--> statement-breakpoint
CREATE TABLE `account_days` (
	`account_id` integer NOT NULL,
	`day` text NOT NULL,
	`page_views` integer DEFAULT 0 NOT NULL,
	`high_intent_page_views` integer DEFAULT 0 NOT NULL,
	`form_starts` integer DEFAULT 0 NOT NULL,
	`form_submits` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `account_days_day_cover` ON `account_days` (`day`,`account_id`,`page_views`,`high_intent_page_views`,`form_starts`,`form_submits`,`engaged_ms`,`events`,`sessions`);--> statement-breakpoint
CREATE TABLE `account_domains` (
	`domain` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `account_domains_account` ON `account_domains` (`account_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`name` text,
	`crm_id` text,
	`segment` text,
	`source` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_domain_unique` ON `accounts` (`domain`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_crm_id_unique` ON `accounts` (`crm_id`);--> statement-breakpoint
CREATE INDEX `accounts_segment` ON `accounts` (`segment`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`email_domain` text,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `people_email_domain` ON `people` (`email_domain`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `visitor_days` (
	`anonymous_id` text NOT NULL,
	`day` text NOT NULL,
	`account_id` integer,
	`page_views` integer DEFAULT 0 NOT NULL,
	`high_intent_page_views` integer DEFAULT 0 NOT NULL,
	`form_starts` integer DEFAULT 0 NOT NULL,
	`form_submits` integer DEFAULT 0 NOT NULL,
	`engaged_ms` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`first_at` text NOT NULL,
	`last_at` text NOT NULL,
	PRIMARY KEY(`anonymous_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `visitor_days_account_day` ON `visitor_days` (`account_id`,`day`,`anonymous_id`);--> statement-breakpoint
CREATE TABLE `visitor_identities` (
	`anonymous_id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`person_id` text,
	`account_id` integer,
	`method` text,
	`confidence` real,
	`resolved_at` text,
	`group_id` text,
	`group_at` text,
	`asn` integer,
	`as_org` text,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `visitor_identities_account` ON `visitor_identities` (`account_id`);--> statement-breakpoint
CREATE INDEX `visitor_identities_person` ON `visitor_identities` (`person_id`);--> statement-breakpoint
CREATE INDEX `visitor_identities_group` ON `visitor_identities` (`group_id`);--> statement-breakpoint
CREATE INDEX `visitor_identities_asn` ON `visitor_identities` (`asn`);--> statement-breakpoint
CREATE TABLE `visitor_moments` (
	`message_id` text PRIMARY KEY NOT NULL,
	`anonymous_id` text NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `visitor_moments_visitor` ON `visitor_moments` (`anonymous_id`,`at`);--> statement-breakpoint
CREATE TABLE `visitor_page_days` (
	`anonymous_id` text NOT NULL,
	`day` text NOT NULL,
	`path` text NOT NULL,
	`account_id` integer,
	`views` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`anonymous_id`, `day`, `path`)
);
--> statement-breakpoint
CREATE INDEX `visitor_page_days_account` ON `visitor_page_days` (`account_id`,`day`);