// The deployment's channel override rules (SPEC §6), one JSON row in `settings`.
import type { ChannelRule } from "../ingest/enrich/channel";
import { settingUpsert } from "./settings";

const KEY = "channel_rules";

// Read on every ingest request: kept in isolate memory for a minute, like write keys, so a
// change reaches every isolate within 60 s.
const TTL_MS = 60_000;
let cached: { rules: ChannelRule[]; until: number } | null = null;

export async function channelRules(d1: D1Database): Promise<ChannelRule[]> {
  if (cached && cached.until > Date.now()) return cached.rules;
  const row = await d1.prepare("SELECT value FROM settings WHERE key = ?1").bind(KEY).first<{ value: string }>();
  let rules: ChannelRule[] = [];
  try {
    rules = row ? (JSON.parse(row.value) as ChannelRule[]) : [];
  } catch {
    // A row that no longer parses: the default grouping, not an outage.
  }
  cached = { rules, until: Date.now() + TTL_MS };
  return rules;
}

export async function writeChannelRules(d1: D1Database, rules: ChannelRule[], at: string): Promise<void> {
  await settingUpsert(d1, KEY, JSON.stringify(rules), at).run();
  cached = { rules, until: Date.now() + TTL_MS };
}
