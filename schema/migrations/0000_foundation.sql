CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`parked_at` text NOT NULL,
	`attempts` integer NOT NULL,
	`body` text NOT NULL,
	`replayed_at` text
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`site_id` text NOT NULL,
	`type` text NOT NULL,
	`anonymous_id` text,
	`session_id` text,
	`timestamp` text NOT NULL,
	`received_at` text NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_message_id_unique` ON `events` (`message_id`);--> statement-breakpoint
CREATE INDEX `events_anonymous_ts` ON `events` (`anonymous_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `rejects` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reject_id` text NOT NULL,
	`site_id` text,
	`received_at` text NOT NULL,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rejects_reject_id_unique` ON `rejects` (`reject_id`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`domains` text NOT NULL,
	`write_key` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_write_key_unique` ON `sites` (`write_key`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`anonymous_id` text NOT NULL,
	`site_id` text NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text NOT NULL,
	`channel` text NOT NULL,
	`source` text,
	`medium` text,
	`campaign` text,
	`landing_page` text,
	`referrer_host` text,
	`pageviews` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`is_bot` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_anonymous` ON `sessions` (`anonymous_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `sessions_started` ON `sessions` (`started_at`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`anonymous_id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL,
	`last_session_id` text NOT NULL,
	`last_campaign` text,
	`user_id` text,
	`is_bot` integer DEFAULT false NOT NULL
);
