// Reads behind GET /v1/campaigns, /v1/content and /v1/deals/:id/journey: sessions with their
// marks, identities, moments and deals, aggregated in SQL so a window's sessions never travel to
// the Worker one by one. Never the raw event log. Bots are never counted.
import type { DealRow } from "./deals";
import { jsonChunks } from "./db";
import type { Range } from "./revenue";

const HUMAN_IN = "s.started_at >= ?1 AND s.started_at < ?2 AND s.is_bot = 0";

/** Deals created in [from, to) (ISO instants), any stage. */
export async function dealsCreatedIn(d1: D1Database, range: Range): Promise<DealRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, imported_at, updated_at
       FROM deals WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, id`,
    )
    .bind(range.from, range.to)
    .all<Omit<DealRow, "won"> & { won: number }>();
  return results.map((r) => ({ ...r, won: r.won === 1 }));
}

export async function dealById(d1: D1Database, id: string): Promise<(DealRow & { domain: string | null; name: string | null; segment: string | null }) | null> {
  const r = await d1
    .prepare(
      `SELECT d.*, a.domain, a.name, a.segment FROM deals d LEFT JOIN accounts a ON a.id = d.account_id WHERE d.id = ?1`,
    )
    .bind(id)
    .first<Omit<DealRow, "won"> & { won: number; domain: string | null; name: string | null; segment: string | null }>();
  return r ? { ...r, won: r.won === 1 } : null;
}

export interface CampaignTraffic {
  campaign: string;
  source: string | null;
  medium: string | null;
  sessions: number;
}

export interface CampaignEngagement {
  campaign: string;
  engaged: number;
  new_engaged: number;
}

export interface CampaignActivity {
  /** sessions per campaign, source and medium */
  bySource: CampaignTraffic[];
  /** unique visitors per campaign (a visitor who came by two sources counts once) */
  visitors: Map<string, number>;
  engagement: CampaignEngagement[];
}

/**
 * The window's campaign sessions, read once: sessions per campaign, source and medium; unique
 * visitors per campaign; and per campaign the accounts (of `segment`, when given) with a session
 * from it, and how many of them had no session on any of the `quietDays` days before the day of
 * their first session from it (account_days: one index seek per account, whatever its history).
 */
export async function campaignActivity(d1: D1Database, range: Range, segment: string | null, quietDays: number): Promise<CampaignActivity> {
  const { results } = await d1
    .prepare(
      `WITH c AS MATERIALIZED (
         SELECT s.campaign, s.source, s.medium, s.anonymous_id, s.started_at, vi.account_id
         FROM sessions s LEFT JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id
         WHERE ${HUMAN_IN} AND s.campaign IS NOT NULL
       ),
       firsts AS (
         SELECT c.campaign, c.account_id, min(c.started_at) AS first_at FROM c JOIN accounts a ON a.id = c.account_id
         WHERE ?3 IS NULL OR a.segment = ?3 GROUP BY c.campaign, c.account_id
       )
       SELECT 's' AS kind, campaign, source, medium, count(*) AS a, NULL AS b FROM c GROUP BY campaign, source, medium
       UNION ALL
       SELECT 'v', campaign, NULL, NULL, count(DISTINCT anonymous_id), NULL FROM c GROUP BY campaign
       UNION ALL
       SELECT 'e', f.campaign, NULL, NULL, count(*), sum(NOT EXISTS (
           SELECT 1 FROM account_days ad
           WHERE ad.account_id = f.account_id AND ad.day >= date(f.first_at, '-' || ?4 || ' days') AND ad.day < date(f.first_at) AND ad.sessions > 0
         ))
       FROM firsts f GROUP BY f.campaign`,
    )
    .bind(range.from, range.to, segment, quietDays)
    .all<{ kind: "s" | "v" | "e"; campaign: string; source: string | null; medium: string | null; a: number; b: number | null }>();
  const out: CampaignActivity = { bySource: [], visitors: new Map(), engagement: [] };
  for (const r of results) {
    if (r.kind === "s") out.bySource.push({ campaign: r.campaign, source: r.source, medium: r.medium, sessions: r.a });
    else if (r.kind === "v") out.visitors.set(r.campaign, r.a);
    else out.engagement.push({ campaign: r.campaign, engaged: r.a, new_engaged: r.b ?? 0 });
  }
  return out;
}

/** Unique human visitors and page views per page path, over sessions that started in the window. */
export async function pageTraffic(d1: D1Database, range: Range): Promise<{ path: string; visitors: number; views: number }[]> {
  const { results } = await d1
    .prepare(
      `SELECT p.path, v.visitors, v.views FROM (
         SELECT m.value ->> 2 AS page, count(DISTINCT s.anonymous_id) AS visitors, count(*) AS views
         FROM sessions s, json_each(s.marks) m
         WHERE ${HUMAN_IN} AND (m.value ->> 1) & 7 = 0
         GROUP BY page
       ) v JOIN paths p ON p.id = v.page`,
    )
    .bind(range.from, range.to)
    .all<{ path: string; visitors: number; views: number }>();
  return results;
}

/** A deal as the influence read takes it: whose account, how much, and the moment its lookback ends. */
export interface InfluenceDeal {
  id: string;
  account_id: number;
  amount: number;
  /** ISO instant: the close (won revenue) or the creation (pipeline) */
  end: string;
}

export interface PageInfluence {
  path: string;
  deals: number;
  amount: number;
  /** [deal id, amount] of the largest few */
  top: [string, number][];
}

/**
 * Per page path: the deals whose account's visitors viewed it in the `lookbackDays` before the
 * deal's `end`, with their summed amounts. A page view counts by its own time (the session's
 * start plus its marks' offsets), so a page viewed after the close in a session that began before
 * it does not count. Sessions that ended by `end` skip the running sum over their marks.
 */
export async function pagesInfluenced(d1: D1Database, deals: readonly InfluenceDeal[], lookbackDays: number, topN = 5): Promise<PageInfluence[]> {
  const byPath = new Map<string, PageInfluence>();
  for (const chunk of jsonChunks([...deals])) {
    const { results } = await d1
      .prepare(
        `WITH d AS (
           SELECT value ->> 'id' AS deal, value ->> 'account_id' AS account_id, value ->> 'amount' AS amount, value ->> 'end' AS end_at,
                  strftime('%Y-%m-%dT%H:%M:%fZ', value ->> 'end', '-' || ?2 || ' days') AS start_at
           FROM json_each(?1)
         ),
         ds AS (
           SELECT d.deal, d.amount, d.end_at, s.anonymous_id, s.id AS sid, s.started_at, s.ended_at, s.marks
           FROM d JOIN visitor_identities vi ON vi.account_id = d.account_id
           JOIN sessions s ON s.anonymous_id = vi.anonymous_id
           WHERE s.is_bot = 0 AND s.started_at >= d.start_at AND s.started_at <= d.end_at
         ),
         viewed AS (
           SELECT ds.deal, ds.amount, m.value ->> 2 AS page FROM ds, json_each(ds.marks) m
           WHERE ds.ended_at <= ds.end_at AND (m.value ->> 1) & 7 = 0
           UNION ALL
           SELECT deal, amount, page FROM (
             SELECT ds.deal, ds.amount, m.value ->> 2 AS page, (m.value ->> 1) & 7 AS kind,
                    sum(m.value ->> 0) OVER (PARTITION BY ds.deal, ds.anonymous_id, ds.sid ORDER BY m.key) AS units,
                    (julianday(ds.end_at) - julianday(ds.started_at)) * 864000 AS before_end
             FROM ds, json_each(ds.marks) m WHERE ds.ended_at > ds.end_at
           ) WHERE kind = 0 AND units <= before_end + 1e-6
         ),
         pairs AS (SELECT DISTINCT deal, amount, page FROM viewed),
         ranked AS (SELECT deal, amount, page, row_number() OVER (PARTITION BY page ORDER BY amount DESC, deal) AS rn FROM pairs)
         SELECT p.path, count(*) AS deals, sum(r.amount) AS amount,
                json_group_array(json_array(r.deal, r.amount)) FILTER (WHERE r.rn <= ?3) AS top
         FROM ranked r JOIN paths p ON p.id = r.page GROUP BY r.page`,
      )
      .bind(chunk, lookbackDays, topN)
      .all<{ path: string; deals: number; amount: number; top: string }>();
    for (const r of results) {
      const had = byPath.get(r.path) ?? { path: r.path, deals: 0, amount: 0, top: [] };
      had.deals += r.deals;
      had.amount += r.amount;
      had.top = [...had.top, ...(JSON.parse(r.top) as [string, number][])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topN);
      byPath.set(r.path, had);
    }
  }
  return [...byPath.values()];
}

export interface TouchRow {
  id: number;
  anonymous_id: string;
  started_at: string;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
}

/**
 * For each deal, the one session a single-touch model credits: the first ("first") or the last
 * ("last") human session of its account's visitors in the `lookbackDays` before `end`, both bounds
 * inclusive, in the models' order (start time, then session id and visitor id as text:
 * revenue/lookback.ts byTime). Keyed by the deal's `key`; deals without a session are left out.
 */
export async function singleTouches(
  d1: D1Database,
  deals: readonly { key: string; account_id: number; end: string }[],
  lookbackDays: number,
  which: "first" | "last",
): Promise<Map<string, TouchRow>> {
  const dir = which === "first" ? "ASC" : "DESC";
  const out = new Map<string, TouchRow>();
  for (const chunk of jsonChunks([...deals])) {
    const { results } = await d1
      .prepare(
        `WITH d AS (
           SELECT value ->> 'key' AS key, value ->> 'account_id' AS account_id, value ->> 'end' AS end_at,
                  strftime('%Y-%m-%dT%H:%M:%fZ', value ->> 'end', '-' || ?2 || ' days') AS start_at
           FROM json_each(?1)
         ),
         t AS (
           SELECT d.key, s.id, s.anonymous_id, s.started_at, s.channel, s.source, s.medium, s.campaign, s.landing_page,
                  row_number() OVER (PARTITION BY d.key ORDER BY s.started_at ${dir}, CAST(s.id AS TEXT) ${dir}, s.anonymous_id ${dir}) AS rn
           FROM d JOIN visitor_identities vi ON vi.account_id = d.account_id
           JOIN sessions s ON s.anonymous_id = vi.anonymous_id
           WHERE s.is_bot = 0 AND s.started_at >= d.start_at AND s.started_at <= d.end_at
         )
         SELECT key, id, anonymous_id, started_at, channel, source, medium, campaign, landing_page FROM t WHERE rn = 1`,
      )
      .bind(chunk, lookbackDays)
      .all<TouchRow & { key: string }>();
    for (const { key, ...row } of results) out.set(key, row);
  }
  return out;
}

/** Each session's distinct page paths, in the order first viewed (session id as text → paths). */
export async function sessionPaths(d1: D1Database, keys: readonly { anonymous_id: string; id: number }[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chunk of jsonChunks(keys.map((k) => [k.anonymous_id, k.id]))) {
    const { results } = await d1
      .prepare(
        `SELECT s.id, p.path FROM json_each(?1) k
         JOIN sessions s ON s.anonymous_id = k.value ->> 0 AND s.id = k.value ->> 1, json_each(s.marks) m
         JOIN paths p ON p.id = m.value ->> 2
         WHERE (m.value ->> 1) & 7 = 0
         ORDER BY s.id, m.key`,
      )
      .bind(chunk)
      .all<{ id: number; path: string }>();
    for (const r of results) {
      const key = String(r.id);
      const list = out.get(key) ?? [];
      if (!list.includes(r.path)) list.push(r.path);
      out.set(key, list);
    }
  }
  return out;
}

export interface JourneySession {
  id: number;
  anonymous_id: string;
  started_at: string;
  ended_at: string;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
  pageviews: number;
  marks: string;
}

/** Human sessions of these visitors that started in [from, to] (ISO, inclusive). */
export async function sessionsBetween(d1: D1Database, anonymousIds: readonly string[], from: string, to: string): Promise<JourneySession[]> {
  const out: JourneySession[] = [];
  for (const chunk of jsonChunks([...anonymousIds])) {
    const { results } = await d1
      .prepare(
        `SELECT id, anonymous_id, started_at, ended_at, channel, source, medium, campaign, landing_page, pageviews, marks
         FROM sessions WHERE anonymous_id IN (SELECT value FROM json_each(?1)) AND is_bot = 0 AND started_at >= ?2 AND started_at <= ?3`,
      )
      .bind(chunk, from, to)
      .all<JourneySession>();
    for (const r of results) out.push(r);
  }
  return out;
}

/** Form moments of these visitors at times in [from, to] (ISO, inclusive). */
export async function formMomentsBetween(d1: D1Database, anonymousIds: readonly string[], from: string, to: string): Promise<{ anonymous_id: string; at: string; kind: string; detail: string }[]> {
  const out: { anonymous_id: string; at: string; kind: string; detail: string }[] = [];
  for (const chunk of jsonChunks([...anonymousIds])) {
    const { results } = await d1
      .prepare(
        `SELECT anonymous_id, at, kind, detail FROM visitor_moments
         WHERE anonymous_id IN (SELECT value FROM json_each(?1)) AND kind IN ('form_start', 'form_submit', 'form_abandon') AND at >= ?2 AND at <= ?3`,
      )
      .bind(chunk, from, to)
      .all<{ anonymous_id: string; at: string; kind: string; detail: string }>();
    for (const r of results) out.push(r);
  }
  return out;
}
