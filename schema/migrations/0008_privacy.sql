-- Erasure and suppression (SPEC §13): schema/privacy.ts. Written by hand (the lead regenerates
-- the snapshots when merging); new tables only, so nothing existing moves.
CREATE TABLE `erasures` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`key_kind` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`finished_at` text,
	`visitors` integer DEFAULT 0 NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`suppressed` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`rejects` integer DEFAULT 0 NOT NULL,
	`raw_files` integer DEFAULT 0 NOT NULL,
	`parquet_files` integer DEFAULT 0 NOT NULL,
	`parquet_rows` integer DEFAULT 0 NOT NULL,
	`dead_letters` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `erasures_requested` ON `erasures` (`requested_at`);
--> statement-breakpoint
CREATE TABLE `erasure_tasks` (
	`erasure_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`cursor` text,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`erasure_id`, `name`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `erasure_keys` (
	`erasure_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`erasure_id`, `kind`, `value`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `erasure_files` (
	`erasure_id` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`removed` integer NOT NULL,
	PRIMARY KEY(`erasure_id`, `key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`token` text PRIMARY KEY NOT NULL,
	`erasure_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text NOT NULL
) WITHOUT ROWID;
