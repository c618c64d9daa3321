DROP INDEX `account_days_day_cover`;--> statement-breakpoint
ALTER TABLE `account_days` ADD `ws` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `account_days` ADD `run_ws` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `account_days` ADD `run_sessions` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `account_days` ADD `run_pageviews` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `account_days` ADD `run_form_submits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `account_days` ADD `run_engaged_ms` integer DEFAULT 0 NOT NULL;