// Sessions (schema/visits.ts) and the page-path dictionary their marks refer to. Written only by
// the queue consumer, as whole rows for its one transaction.
import type { SessionRow } from "../pipeline/sessionize";
import { jsonChunks } from "./db";

const COLUMNS =
  "id, anonymous_id, started_at, ended_at, channel, source, medium, campaign, landing_page, referrer_host, pageviews, events, is_bot, bot_reason, marks";

type Stored = Omit<SessionRow, "is_bot"> & { is_bot: number };
const row = (r: Stored): SessionRow => ({ ...r, is_bot: Boolean(r.is_bot) });

/** A visitor and a time range [from, to] (ISO): its sessions overlapping the range are wanted. */
export interface Near {
  anonymous_id: string;
  from: string;
  to: string;
}

/** Every stored session overlapping each visitor's range, through the primary key (anonymous_id, id). */
export async function sessionsNear(d1: D1Database, near: readonly Near[]): Promise<SessionRow[]> {
  const out: SessionRow[] = [];
  for (const chunk of jsonChunks([...near])) {
    const { results } = await d1
      .prepare(
        `SELECT ${COLUMNS.split(", ").map((c) => `s.${c}`).join(", ")} FROM json_each(?1) n
         JOIN sessions s ON s.anonymous_id = n.value ->> 'anonymous_id' AND s.started_at <= n.value ->> 'to'
         WHERE s.ended_at >= n.value ->> 'from'`,
      )
      .bind(chunk)
      .all<Stored>();
    out.push(...results.map(row));
  }
  return out;
}

/** All sessions of these visitors (for the export's session and bot columns). */
export async function sessionsOfVisitors(d1: D1Database, anonymousIds: readonly string[]): Promise<SessionRow[]> {
  const out: SessionRow[] = [];
  for (const chunk of jsonChunks([...anonymousIds])) {
    const { results } = await d1
      .prepare(`SELECT ${COLUMNS} FROM sessions WHERE anonymous_id IN (SELECT value FROM json_each(?1))`)
      .bind(chunk)
      .all<Stored>();
    out.push(...results.map(row));
  }
  return out;
}

/** A session's key. */
export interface SessionKey {
  anonymous_id: string;
  id: number;
}

export function writeSessions(d1: D1Database, upserts: readonly SessionRow[], deletes: readonly SessionKey[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const chunk of jsonChunks([...deletes])) {
    out.push(d1.prepare("DELETE FROM sessions WHERE (anonymous_id, id) IN (SELECT value ->> 'anonymous_id', value ->> 'id' FROM json_each(?1))").bind(chunk));
  }
  for (const chunk of jsonChunks(upserts.map((s) => ({ ...s, is_bot: s.is_bot ? 1 : 0 })))) {
    out.push(
      d1
        .prepare(
          `INSERT INTO sessions (${COLUMNS})
           SELECT ${COLUMNS.split(", ").map((c) => `value ->> '${c}'`).join(", ")} FROM json_each(?1) WHERE true
           ON CONFLICT (anonymous_id, id) DO UPDATE SET ${COLUMNS.split(", ").slice(2).map((c) => `${c} = excluded.${c}`).join(", ")}`,
        )
        .bind(chunk),
    );
  }
  return out;
}

/**
 * Ids of these paths, adding the ones not known yet. Runs before the batch's transaction: a path
 * added by a batch that then fails is an unused dictionary entry, not a wrong count.
 */
export async function pathIds(d1: D1Database, paths: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (paths.length === 0) return out;
  for (const chunk of jsonChunks([...new Set(paths)])) {
    await d1.prepare("INSERT INTO paths (path) SELECT value FROM json_each(?1) WHERE true ON CONFLICT (path) DO NOTHING").bind(chunk).run();
    const { results } = await d1.prepare("SELECT id, path FROM paths WHERE path IN (SELECT value FROM json_each(?1))").bind(chunk).all<{ id: number; path: string }>();
    for (const r of results) out.set(r.path, r.id);
  }
  return out;
}

/** The paths of these ids. */
export async function pathsOf(d1: D1Database, ids: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const chunk of jsonChunks([...new Set(ids)])) {
    const { results } = await d1.prepare("SELECT id, path FROM paths WHERE id IN (SELECT value FROM json_each(?1))").bind(chunk).all<{ id: number; path: string }>();
    for (const r of results) out.set(r.id, r.path);
  }
  return out;
}
