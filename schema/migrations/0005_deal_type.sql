-- Issue 14 (SPEC §10): a deal's optional type, new_business or expansion (null: read from the
-- account's won history), and the indexes the pipeline and funnel read by: deals created in a
-- window, and sessions by start with their bot flag, so "human visitors in the window" is read
-- from the index alone (bench/pipeline.mjs: 0.6 s → 0.1 s over a million sessions; the flag
-- adds one header byte per entry). Written by hand (snapshots are regenerated when branches merge).
ALTER TABLE `deals` ADD `type` text;
--> statement-breakpoint
CREATE INDEX `deals_created` ON `deals` (`created_at`);
--> statement-breakpoint
DROP INDEX `sessions_started`;
--> statement-breakpoint
CREATE INDEX `sessions_started` ON `sessions` (`started_at`, `is_bot`);
