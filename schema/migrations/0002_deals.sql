CREATE TABLE `deals` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`account_ref` text NOT NULL,
	`amount` real NOT NULL,
	`currency` text NOT NULL,
	`stage` text,
	`created_at` text,
	`closed_at` text,
	`won` integer DEFAULT false NOT NULL,
	`imported_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deals_won_closed` ON `deals` (`won`,`closed_at`);--> statement-breakpoint
CREATE INDEX `deals_account` ON `deals` (`account_id`);