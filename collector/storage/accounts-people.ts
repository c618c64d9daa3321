// Who an account is: its visitors with how each resolved, its people, and the sessions and
// moments its timeline is made of. Bounded per account (`limit`), never a scan of the event log.
import type { SessionRow as StoredSession } from "../pipeline/sessionize";
import { jsonChunks } from "./db";

export interface AccountVisitor {
  anonymous_id: string;
  person_id: string | null;
  method: string | null;
  confidence: number | null;
  resolved_at: string | null;
  group_id: string | null;
  email_domain: string | null;
  asn: number | null;
  as_org: string | null;
  first_seen: string;
  last_seen: string;
}

export async function visitorsOfAccount(d1: D1Database, id: number, limit: number): Promise<AccountVisitor[]> {
  const { results } = await d1
    .prepare(
      `SELECT vi.anonymous_id, vi.person_id, vi.method, vi.confidence, vi.resolved_at, vi.group_id, p.email_domain,
              vi.asn, vi.as_org, vi.first_seen, vi.last_seen
       FROM visitor_identities vi LEFT JOIN people p ON p.id = vi.person_id
       WHERE vi.account_id = ?1 ORDER BY vi.first_seen, vi.anonymous_id LIMIT ?2`,
    )
    .bind(id, limit)
    .all<AccountVisitor>();
  return results;
}

export interface AccountPerson {
  id: string;
  email_domain: string | null;
  first_seen: string;
  last_seen: string;
  devices: number;
}

export async function peopleOfAccount(d1: D1Database, id: number, limit: number): Promise<AccountPerson[]> {
  const { results } = await d1
    .prepare(
      `SELECT p.id, p.email_domain, p.first_seen, p.last_seen, count(*) AS devices
       FROM visitor_identities vi JOIN people p ON p.id = vi.person_id
       WHERE vi.account_id = ?1 GROUP BY p.id ORDER BY p.first_seen, p.id LIMIT ?2`,
    )
    .bind(id, limit)
    .all<AccountPerson>();
  return results;
}

/** A stored session as the timeline shows it. */
export type SessionRow = Omit<StoredSession, "is_bot" | "bot_reason">;

export async function sessionsOf(d1: D1Database, anonymousIds: string[]): Promise<SessionRow[]> {
  const out: SessionRow[] = [];
  for (const chunk of jsonChunks(anonymousIds)) {
    const { results } = await d1
      .prepare(
        `SELECT id, anonymous_id, started_at, ended_at, channel, source, medium, campaign, landing_page, referrer_host,
                pageviews, events, marks
         FROM sessions WHERE anonymous_id IN (SELECT value FROM json_each(?1)) AND is_bot = 0`,
      )
      .bind(chunk)
      .all<SessionRow>();
    out.push(...results);
  }
  return out;
}

export interface MomentRow {
  anonymous_id: string;
  at: string;
  kind: string;
  detail: string;
}

export async function momentsOf(d1: D1Database, anonymousIds: string[]): Promise<MomentRow[]> {
  const out: MomentRow[] = [];
  for (const chunk of jsonChunks(anonymousIds)) {
    const { results } = await d1
      .prepare(
        `SELECT anonymous_id, at, kind, detail FROM visitor_moments
         WHERE anonymous_id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(chunk)
      .all<MomentRow>();
    out.push(...results);
  }
  return out;
}
