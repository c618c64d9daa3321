-- Sessions by start with their bot flag and channel: a window's sessions per channel (traffic by
-- channel, the Markov chain's journeys that did not convert) are read from the index alone, not
-- by a lookup of each session's row, which holds its marks (bench/pipeline.mjs, 1M sessions: the
-- Markov journeys' read 1.9 s → 0.7 s in SQLite). Costs the channel's bytes per session entry.
DROP INDEX `sessions_started`;--> statement-breakpoint
CREATE INDEX `sessions_started` ON `sessions` (`started_at`,`is_bot`,`channel`);