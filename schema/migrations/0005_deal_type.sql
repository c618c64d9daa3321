-- Issue 14 (SPEC §10): a deal's optional type, new_business or expansion (null: read from the
-- account's won history), and the index the pipeline and funnel read deals created in a window by.
-- Written by hand (snapshots are regenerated when branches merge).
ALTER TABLE `deals` ADD `type` text;
--> statement-breakpoint
CREATE INDEX `deals_created` ON `deals` (`created_at`);
