// The spend table (schema/spend.ts): upserts from PUT /v1/spend, and the sums the return columns
// and the campaigns report read. Keyed by (date, channel, source, medium, campaign).
import { jsonChunks } from "./db";

export interface SpendRow {
  date: string;
  channel: string;
  source: string;
  medium: string;
  campaign: string;
  amount: number;
  currency: string;
  clicks: number;
  impressions: number;
  imported_at: string;
  updated_at: string;
}

type Key = Pick<SpendRow, "date" | "channel" | "source" | "medium" | "campaign">;
const keyOf = (k: Key) => JSON.stringify([k.date, k.channel, k.source, k.medium, k.campaign]);

/** Keys among these that are already stored (to tell created from updated), as JSON tuples. */
export async function existingSpendKeys(d1: D1Database, keys: Key[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of jsonChunks(keys.map((k) => [k.date, k.channel, k.source, k.medium, k.campaign]))) {
    const { results } = await d1
      .prepare(
        `SELECT s.date, s.channel, s.source, s.medium, s.campaign FROM json_each(?1) k
         JOIN spend s ON s.date = k.value ->> 0 AND s.channel = k.value ->> 1 AND s.source = k.value ->> 2
           AND s.medium = k.value ->> 3 AND s.campaign = k.value ->> 4`,
      )
      .bind(chunk)
      .all<Key>();
    for (const r of results) found.add(keyOf(r));
  }
  return found;
}

/** Insert or replace by key; imported_at keeps the first import's time. */
export function upsertSpend(d1: D1Database, rows: SpendRow[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO spend (date, channel, source, medium, campaign, amount, currency, clicks, impressions, imported_at, updated_at)
         SELECT value ->> 'date', value ->> 'channel', value ->> 'source', value ->> 'medium', value ->> 'campaign',
                value ->> 'amount', value ->> 'currency', value ->> 'clicks', value ->> 'impressions', value ->> 'imported_at',
                value ->> 'updated_at'
         FROM json_each(?1) WHERE true
         ON CONFLICT (date, channel, source, medium, campaign) DO UPDATE SET
           amount = excluded.amount, currency = excluded.currency, clicks = excluded.clicks,
           impressions = excluded.impressions, updated_at = excluded.updated_at`,
      )
      .bind(chunk),
  );
}

/** What spend can be grouped by: the touchpoint fields an ad export carries. */
export const SPEND_DIMENSIONS = ["channel", "source", "medium", "campaign"] as const;
export type SpendDimension = (typeof SPEND_DIMENSIONS)[number];

export interface SpendSum {
  /** the dimension's value; "" for rows without one */
  key: string;
  currency: string;
  amount: number;
  clicks: number;
  impressions: number;
}

/** Spend per value of `by` and currency over the days [from, to] (YYYY-MM-DD, inclusive). */
export async function spendSums(d1: D1Database, by: SpendDimension, from: string, to: string): Promise<SpendSum[]> {
  const { results } = await d1
    .prepare(
      `SELECT ${by} AS key, currency, sum(amount) AS amount, sum(clicks) AS clicks, sum(impressions) AS impressions
       FROM spend WHERE date >= ?1 AND date <= ?2 GROUP BY ${by}, currency`,
    )
    .bind(from, to)
    .all<SpendSum>();
  return results;
}

/** Per campaign: its spend rows' source and medium with their amounts (the campaigns report names the largest). */
export async function campaignSpendSources(d1: D1Database, from: string, to: string): Promise<{ campaign: string; source: string; medium: string; amount: number }[]> {
  const { results } = await d1
    .prepare(
      `SELECT campaign, source, medium, sum(amount) AS amount FROM spend
       WHERE date >= ?1 AND date <= ?2 AND campaign <> '' GROUP BY campaign, source, medium`,
    )
    .bind(from, to)
    .all<{ campaign: string; source: string; medium: string; amount: number }>();
  return results;
}
