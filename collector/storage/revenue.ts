// Reads behind GET /v1/revenue: traffic per group over the window, the touchpoints (sessions)
// of the accounts whose deals are attributed, and the channel paths of every other journey for
// the Markov chain. Sessions are the touchpoints (SPEC §6); bots are never counted.
import type { GroupBy, Journey, Touchpoint, TrafficCounts } from "../revenue";
import { NONE_KEY } from "../revenue";
import { jsonChunks } from "./db";
import { sessionPaths, type TouchRow } from "./marketing";

/** [from, to) as ISO instants; sessions count in the window they started in. */
export interface Range {
  from: string;
  to: string;
}

const NONE = `'${NONE_KEY}'`;
const KEY_SQL: Record<Exclude<GroupBy, "page">, string> = {
  channel: "s.channel",
  source: `coalesce(s.source, ${NONE})`,
  medium: `coalesce(s.medium, ${NONE})`,
  campaign: `coalesce(s.campaign, ${NONE})`,
  landing_page: `coalesce(s.landing_page, ${NONE})`,
  account_segment: `coalesce(a.segment, ${NONE})`,
};

// "page": every page viewed in the session (its page marks, collector/pipeline/marks.ts: kind 0,
// the path id third); a session without a page view counts under its landing page.
const PAGE_KEYED = `
  viewed AS (
    SELECT DISTINCT s.id, s.anonymous_id, p.path AS key
    FROM s, json_each(s.marks) m JOIN paths p ON p.id = m.value ->> 2
    WHERE (m.value ->> 1) & 7 = 0
  ),
  keyed AS (
    SELECT id, anonymous_id, key FROM viewed
    UNION ALL
    SELECT s.id, s.anonymous_id, coalesce(s.landing_page, ${NONE}) FROM s WHERE s.id NOT IN (SELECT id FROM viewed)
  )`;

/** Unique visitors and sessions per group (SQL aggregates, so the window's sessions never leave D1). */
export async function trafficByGroup(d1: D1Database, by: GroupBy, range: Range): Promise<TrafficCounts> {
  const inWindow = "s.started_at >= ?1 AND s.started_at < ?2 AND s.is_bot = 0";
  const grouped =
    by === "page"
      ? `WITH s AS (SELECT id, anonymous_id, started_at, ended_at, landing_page, marks FROM sessions s WHERE ${inWindow}), ${PAGE_KEYED}
         SELECT key, count(DISTINCT anonymous_id) AS visitors, count(DISTINCT id) AS sessions FROM keyed GROUP BY key`
      : `SELECT ${KEY_SQL[by]} AS key, count(DISTINCT s.anonymous_id) AS visitors, count(*) AS sessions
         FROM sessions s
         ${by === "account_segment" ? "LEFT JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id LEFT JOIN accounts a ON a.id = vi.account_id" : ""}
         WHERE ${inWindow} GROUP BY key`;
  const [groups, total] = await d1.batch<{ key: string; visitors: number; sessions: number }>([
    d1.prepare(grouped).bind(range.from, range.to),
    d1.prepare(`SELECT '' AS key, count(DISTINCT s.anonymous_id) AS visitors, count(*) AS sessions FROM sessions s WHERE ${inWindow}`).bind(range.from, range.to),
  ]);
  const t = total.results[0] ?? { visitors: 0, sessions: 0 };
  return {
    byGroup: new Map(groups.results.map((r) => [r.key, { visitors: r.visitors, sessions: r.sessions }])),
    total: { visitors: t.visitors, sessions: t.sessions },
  };
}

type SessionTouch = TouchRow & { account_id: number };

/**
 * account id (as text) → the sessions of every visitor resolved to it that started in
 * [from, to] (both inclusive: the models apply each deal's own lookback), with W-shaped's lead
 * flag and, when `withPages`, the session's page paths.
 */
export async function accountTouchpoints(
  d1: D1Database,
  accountIds: number[],
  range: Range,
  withPages: boolean,
): Promise<Map<string, Touchpoint[]>> {
  const sessions: SessionTouch[] = [];
  for (const chunk of jsonChunks(accountIds)) {
    const { results } = await d1
      .prepare(
        `SELECT vi.account_id, s.id, s.anonymous_id, s.started_at, s.channel, s.source, s.medium, s.campaign, s.landing_page
         FROM visitor_identities vi JOIN sessions s ON s.anonymous_id = vi.anonymous_id
         WHERE vi.account_id IN (SELECT value FROM json_each(?1)) AND s.is_bot = 0 AND s.started_at >= ?2 AND s.started_at <= ?3`,
      )
      .bind(chunk, range.from, range.to)
      .all<SessionTouch>();
    for (const r of results) sessions.push(r); // not push(...): a large result overflows the stack in workerd
  }
  const visitors = [...new Set(sessions.map((s) => s.anonymous_id))];
  const [leads, pages] = await Promise.all([
    leadSessions(d1, visitors),
    withPages ? sessionPaths(d1, sessions.map((s) => ({ anonymous_id: s.anonymous_id, id: s.id }))) : new Map<string, string[]>(),
  ]);

  const out = new Map<string, Touchpoint[]>();
  for (const s of sessions) {
    const key = String(s.account_id);
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push({
      visitor_id: s.anonymous_id, session_id: String(s.id), at: Date.parse(s.started_at), channel: s.channel, source: s.source,
      medium: s.medium, campaign: s.campaign, landing_page: s.landing_page, pages: pages.get(String(s.id)) ?? [], lead: leads.has(String(s.id)),
    });
  }
  return out;
}

/**
 * Ids of the sessions holding each visitor's first form submit or identify (lead creation): the
 * visitor's first such timeline moment, and the session whose span holds it.
 */
async function leadSessions(d1: D1Database, visitors: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of jsonChunks(visitors)) {
    const { results } = await d1
      .prepare(
        `WITH first AS (
           SELECT anonymous_id, min(at) AS at FROM visitor_moments
           WHERE anonymous_id IN (SELECT value FROM json_each(?1)) AND kind IN ('identify', 'form_submit')
           GROUP BY anonymous_id
         )
         SELECT s.id FROM first f JOIN sessions s ON s.anonymous_id = f.anonymous_id AND s.started_at <= f.at AND s.ended_at >= f.at`,
      )
      .bind(chunk)
      .all<{ id: number }>();
    for (const r of results) out.add(String(r.id));
  }
  return out;
}

/**
 * The channel paths of every journey in the window that did not convert: one per account (all
 * its visitors' sessions) and one per unresolved visitor, except the accounts in `converting`
 * (their journeys come from their deals' lookbacks). Identical paths come back once with their
 * count, so 10,000 journeys cost a few hundred rows.
 */
export async function nonConvertingJourneys(d1: D1Database, range: Range, converting: number[]): Promise<Journey[]> {
  const { results } = await d1
    .prepare(
      `WITH u AS (
         SELECT CASE WHEN vi.account_id IS NULL THEN 'v' || s.anonymous_id ELSE 'a' || vi.account_id END AS unit,
                s.channel, s.started_at, s.id
         FROM sessions s LEFT JOIN visitor_identities vi ON vi.anonymous_id = s.anonymous_id
         WHERE s.started_at >= ?1 AND s.started_at < ?2 AND s.is_bot = 0
           AND (vi.account_id IS NULL OR vi.account_id NOT IN (SELECT value FROM json_each(?3)))
       ),
       paths AS (SELECT group_concat(channel, char(31) ORDER BY started_at, id) AS path FROM u GROUP BY unit)
       SELECT path, count(*) AS n FROM paths GROUP BY path`,
    )
    .bind(range.from, range.to, JSON.stringify(converting))
    .all<{ path: string; n: number }>();
  const journeys: Journey[] = [];
  for (const { path, n } of results) {
    const channels = path.split("\u001f");
    for (let i = 0; i < n; i++) journeys.push({ path: channels, converted: false });
  }
  return journeys;
}

/** account id (as text) → its segment. */
export async function accountSegments(d1: D1Database, accountIds: number[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const chunk of jsonChunks(accountIds)) {
    const { results } = await d1
      .prepare("SELECT id, segment FROM accounts WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ id: number; segment: string | null }>();
    for (const r of results) out.set(String(r.id), r.segment);
  }
  return out;
}
