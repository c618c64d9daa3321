-- Storage that lasts (SPEC §12): events live in R2; D1 keeps dedupe keys, the archive ledger,
-- sessions with compact marks, and rollups. Written by hand from `drizzle-kit generate`'s output
-- (the snapshot matches schema/*.ts) to carry a first-version database's data across:
-- its event, reject and dead-letter rows are kept as legacy_* tables, which the Worker moves to
-- R2 a chunk at a time and then drops (collector/storage/legacy.ts); sessions get their marks
-- from those rows here, while they are still in D1.
CREATE TABLE `archive_objects` (
	`stream` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`dt` text NOT NULL,
	`rows` integer NOT NULL,
	`max_ts` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`stream`, `first_seq`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `dedupe_keys` (
	`day` integer NOT NULL,
	`k` blob NOT NULL,
	PRIMARY KEY(`day`, `k`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `paths` (
	`id` integer PRIMARY KEY NOT NULL,
	`path` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paths_path_unique` ON `paths` (`path`);
--> statement-breakpoint
ALTER TABLE `events` RENAME TO `legacy_events`;
--> statement-breakpoint
ALTER TABLE `rejects` RENAME TO `legacy_rejects`;
--> statement-breakpoint
ALTER TABLE `dead_letters` RENAME TO `legacy_dead_letters`;
--> statement-breakpoint
INSERT INTO `settings` (`key`, `value`, `updated_at`)
SELECT 'legacy:pending', '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE EXISTS (SELECT 1 FROM `legacy_events`) OR EXISTS (SELECT 1 FROM `legacy_rejects`) OR EXISTS (SELECT 1 FROM `legacy_dead_letters`);
--> statement-breakpoint
-- New seqs continue after the old ones, so cursors handed out before the upgrade stay valid.
INSERT INTO `settings` (`key`, `value`, `updated_at`)
SELECT 'seq:raw', CAST(max(`seq`) AS TEXT), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM `legacy_events` HAVING max(`seq`) IS NOT NULL;
--> statement-breakpoint
INSERT INTO `settings` (`key`, `value`, `updated_at`)
SELECT 'seq:rejects', CAST(max(`seq`) AS TEXT), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM `legacy_rejects` HAVING max(`seq`) IS NOT NULL;
--> statement-breakpoint
INSERT INTO `paths` (`path`)
SELECT DISTINCT coalesce(`data` ->> '$.path', '/') FROM `legacy_events` WHERE `type` = 'page';
--> statement-breakpoint
-- Sessions: integer ids (in start order), the verdict kept per session, and marks rebuilt from the
-- rows (collector/pipeline/marks.ts: [0.1 s after the previous mark, code, x, campaign]; legacy campaign keys in clear,
-- prefixed "="). A visitor the first version flagged a bot had none of its sessions counted: its
-- sessions stay bots, so the rollups copied below and the sessions agree.
CREATE TABLE `__session_ids` (`old` text PRIMARY KEY NOT NULL, `new` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `__session_ids` (`old`, `new`)
SELECT `id`, row_number() OVER (ORDER BY `started_at`, `id`) FROM `sessions`;
--> statement-breakpoint
CREATE TABLE `__new_sessions` (
	`anonymous_id` text NOT NULL,
	`id` integer NOT NULL,
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
	`is_bot` integer DEFAULT false NOT NULL,
	`bot_reason` text,
	`marks` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`anonymous_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Every event's mark in one pass, numbered in its session's order (time, page views first, id).
CREATE TABLE `__marks` (`sid` text NOT NULL, `ord` integer NOT NULL, `mark` text NOT NULL, PRIMARY KEY(`sid`, `ord`)) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__marks` (`sid`, `ord`, `mark`)
WITH k AS (
  SELECT e.`session_id` AS `sid`, e.`timestamp`, e.`type`, e.`message_id`, e.`data` ->> '$.bot_reason' AS `bot_reason`,
    CASE WHEN e.`type` = 'page' THEN 0 WHEN e.`type` = 'identify' THEN 5 WHEN e.`type` = 'group' THEN 6
         WHEN e.`type` = 'track' AND e.`data` ->> '$.event' = 'engagement' THEN 1
         WHEN e.`type` = 'track' AND e.`data` ->> '$.event' = 'form_start' THEN 2
         WHEN e.`type` = 'track' AND e.`data` ->> '$.event' = 'form_submit' THEN 3
         WHEN e.`type` = 'track' AND e.`data` ->> '$.event' = 'form_abandon' THEN 4
         ELSE 7 END AS `kind`,
    coalesce(e.`data` ->> '$.path', '/') AS `path`,
    json_valid(e.`data` ->> '$.properties') AND json_type(e.`data` ->> '$.properties') = 'object' AS `has_props`,
    e.`data` ->> '$.properties' AS `props`,
          CASE WHEN coalesce(nullif(e.`data` ->> '$.utm_source', ''), nullif(e.`data` ->> '$.utm_medium', ''), nullif(e.`data` ->> '$.utm_campaign', ''),
                             nullif(e.`data` ->> '$.utm_term', ''), nullif(e.`data` ->> '$.utm_content', ''), nullif(e.`data` ->> '$.gclid', ''),
                             nullif(e.`data` ->> '$.msclkid', ''), nullif(e.`data` ->> '$.li_fat_id', ''), nullif(e.`data` ->> '$.fbclid', ''),
                             nullif(e.`data` ->> '$.ttclid', '')) IS NULL THEN ''
               ELSE replace(replace(lower(coalesce(e.`data` ->> '$.utm_source', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.utm_medium', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.utm_campaign', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.utm_term', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.utm_content', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.gclid', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.msclkid', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.li_fat_id', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.fbclid', '')), '\', '\\'), '|', '\|') || '|' ||
                    replace(replace(lower(coalesce(e.`data` ->> '$.ttclid', '')), '\', '\\'), '|', '\|')
               END AS `campaign`
  FROM `legacy_events` e WHERE e.`session_id` IS NOT NULL
)
SELECT k.`sid`,
  row_number() OVER w,
  json_array(
    CAST(round((julianday(k.`timestamp`) - julianday(s.`started_at`)) * 864000) AS INTEGER)
      - coalesce(lag(CAST(round((julianday(k.`timestamp`) - julianday(s.`started_at`)) * 864000) AS INTEGER)) OVER w, 0),
    k.`kind`
      | (CASE WHEN k.`kind` = 0 AND EXISTS (
          SELECT 1 FROM json_each(coalesce((SELECT `value` ->> '$.high_intent_pages' FROM `settings` WHERE `key` = 'engagement'), '["/pricing","/demo","/contact"]')) r
          WHERE rtrim(lower(r.`value`), '/') = '' OR lower(k.`path`) = rtrim(lower(r.`value`), '/') OR lower(k.`path`) LIKE rtrim(lower(r.`value`), '/') || '/%'
        ) THEN 8 ELSE 0 END)
      | (CASE WHEN k.`bot_reason` = 'datacenter-asn' THEN 16 ELSE 0 END)
      | (CASE k.`bot_reason` WHEN 'no-user-agent' THEN 32 WHEN 'headless' THEN 64 WHEN 'user-agent' THEN 96 ELSE 0 END),
    CASE WHEN k.`kind` = 0 THEN (SELECT p.`id` FROM `paths` p WHERE p.`path` = k.`path`)
         WHEN k.`kind` = 1 AND k.`has_props` AND round(min(max(coalesce(k.`props` ->> '$.engaged_ms', 0), 0), 1800000) / 100.0) > 0
           THEN CAST(round(min(max(coalesce(k.`props` ->> '$.engaged_ms', 0), 0), 1800000) / 100.0) AS INTEGER)
         WHEN k.`kind` = 1 AND k.`has_props` AND (coalesce(k.`props` ->> '$.engaged_ms', 0) > 0 OR coalesce(k.`props` ->> '$.scroll_pct', 0) > 0) THEN -1
         ELSE 0 END,
    CASE WHEN k.`campaign` <> '' THEN '=' || k.`campaign` END
  )
FROM k JOIN `sessions` s ON s.`id` = k.`sid`
WINDOW w AS (PARTITION BY k.`sid` ORDER BY k.`timestamp`, CASE WHEN k.`kind` = 0 THEN 0 ELSE 1 END, k.`message_id`);
--> statement-breakpoint
INSERT INTO `__new_sessions` (`id`, `anonymous_id`, `started_at`, `ended_at`, `channel`, `source`, `medium`, `campaign`, `landing_page`,
  `referrer_host`, `pageviews`, `events`, `is_bot`, `bot_reason`, `marks`)
SELECT m.`new`, s.`anonymous_id`, s.`started_at`, s.`ended_at`, s.`channel`, s.`source`, s.`medium`, s.`campaign`, s.`landing_page`,
  s.`referrer_host`, s.`pageviews`, s.`events`,
  s.`is_bot` OR coalesce((SELECT v.`is_bot` FROM `visitors` v WHERE v.`anonymous_id` = s.`anonymous_id`), 0),
  CASE WHEN s.`is_bot` OR coalesce((SELECT v.`is_bot` FROM `visitors` v WHERE v.`anonymous_id` = s.`anonymous_id`), 0)
       THEN coalesce((SELECT e.`data` ->> '$.bot_reason' FROM `legacy_events` e WHERE e.`anonymous_id` = s.`anonymous_id` AND e.`data` ->> '$.bot_reason' IS NOT NULL LIMIT 1), 'user-agent') END,
  coalesce((SELECT json_group_array(json(x.`mark`)) FROM (SELECT `mark` FROM `__marks` WHERE `sid` = s.`id` ORDER BY `ord`) x), '[]')
FROM `sessions` s JOIN `__session_ids` m ON m.`old` = s.`id`;
--> statement-breakpoint
DROP TABLE `__marks`;
--> statement-breakpoint
INSERT INTO `settings` (`key`, `value`, `updated_at`)
SELECT 'seq:session', CAST(max(`id`) AS TEXT), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM `__new_sessions` HAVING max(`id`) IS NOT NULL;
--> statement-breakpoint
DROP TABLE `sessions`;
--> statement-breakpoint
ALTER TABLE `__new_sessions` RENAME TO `sessions`;
--> statement-breakpoint
DROP TABLE `__session_ids`;
--> statement-breakpoint
CREATE INDEX `sessions_started` ON `sessions` (`started_at`);
--> statement-breakpoint
-- Visitors: the sessionizing state goes (sessions are cut by time now); the userId moves to identities.
ALTER TABLE `visitor_identities` ADD `user_id` text;
--> statement-breakpoint
UPDATE `visitor_identities` SET `user_id` = (SELECT v.`user_id` FROM `visitors` v WHERE v.`anonymous_id` = `visitor_identities`.`anonymous_id`);
--> statement-breakpoint
CREATE INDEX `visitor_identities_user` ON `visitor_identities` (`user_id`) WHERE user_id IS NOT NULL;
--> statement-breakpoint
DROP TABLE `visitors`;
--> statement-breakpoint
-- Day rollups without a second copy of their key; top pages come from session marks now.
CREATE TABLE `__new_visitor_days` (
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
	PRIMARY KEY(`anonymous_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_visitor_days` SELECT `anonymous_id`, `day`, `account_id`, `page_views`, `high_intent_page_views`, `form_starts`,
  `form_submits`, `engaged_ms`, `events`, `sessions` FROM `visitor_days`;
--> statement-breakpoint
DROP TABLE `visitor_days`;
--> statement-breakpoint
ALTER TABLE `__new_visitor_days` RENAME TO `visitor_days`;
--> statement-breakpoint
CREATE INDEX `visitor_days_account_day` ON `visitor_days` (`account_id`,`day`);
--> statement-breakpoint
DROP TABLE `visitor_page_days`;
--> statement-breakpoint
CREATE TABLE `__new_visitor_moments` (
	`anonymous_id` text NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	PRIMARY KEY(`anonymous_id`, `at`, `kind`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_visitor_moments` (`anonymous_id`, `at`, `kind`, `detail`)
SELECT `anonymous_id`, `at`, `kind`, `detail` FROM `visitor_moments` WHERE true ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP TABLE `visitor_moments`;
--> statement-breakpoint
ALTER TABLE `__new_visitor_moments` RENAME TO `visitor_moments`;
--> statement-breakpoint
-- Identity lookups are by value: rows without one need no index entry.
DROP INDEX `visitor_identities_account`;
--> statement-breakpoint
CREATE INDEX `visitor_identities_account` ON `visitor_identities` (`account_id`) WHERE account_id IS NOT NULL;
--> statement-breakpoint
DROP INDEX `visitor_identities_person`;
--> statement-breakpoint
CREATE INDEX `visitor_identities_person` ON `visitor_identities` (`person_id`) WHERE person_id IS NOT NULL;
--> statement-breakpoint
DROP INDEX `visitor_identities_group`;
--> statement-breakpoint
CREATE INDEX `visitor_identities_group` ON `visitor_identities` (`group_id`) WHERE group_id IS NOT NULL;
--> statement-breakpoint
DROP INDEX `visitor_identities_asn`;
--> statement-breakpoint
CREATE INDEX `visitor_identities_asn` ON `visitor_identities` (`asn`) WHERE asn IS NOT NULL;
