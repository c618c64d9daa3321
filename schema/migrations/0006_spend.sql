-- Ad spend (SPEC §10, PUT /v1/spend), written by hand as drizzle-kit would for schema/spend.ts,
-- plus WITHOUT ROWID: the primary key (day first) is the table and the window index at once.
CREATE TABLE `spend` (
	`date` text NOT NULL,
	`channel` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`medium` text DEFAULT '' NOT NULL,
	`campaign` text DEFAULT '' NOT NULL,
	`amount` real NOT NULL,
	`currency` text NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`imported_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`date`, `channel`, `source`, `medium`, `campaign`)
) WITHOUT ROWID;
