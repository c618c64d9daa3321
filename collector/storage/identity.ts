// Reads and writes of visitor identities, people and the account lookups resolution needs.
// Writes are returned as statements for the caller's one db.batch (one transaction).
import { jsonChunks } from "./db";

export interface IdentityRow {
  anonymous_id: string;
  site_id: string;
  person_id: string | null;
  account_id: number | null;
  method: string | null;
  confidence: number | null;
  resolved_at: string | null;
  group_id: string | null;
  group_at: string | null;
  asn: number | null;
  as_org: string | null;
  /** the latest userId the visitor's events carried */
  user_id: string | null;
  first_seen: string;
  last_seen: string;
}

export interface PersonRow {
  id: string;
  email_domain: string | null;
  first_seen: string;
  last_seen: string;
}

const IDENTITY_COLUMNS =
  "anonymous_id, site_id, person_id, account_id, method, confidence, resolved_at, group_id, group_at, asn, as_org, user_id, first_seen, last_seen";

async function allIn<T>(d1: D1Database, sql: string, values: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (const chunk of jsonChunks([...values])) {
    const { results } = await d1.prepare(sql).bind(chunk).all<T>();
    out.push(...results);
  }
  return out;
}

export function identitiesOf(d1: D1Database, anonymousIds: readonly string[]): Promise<IdentityRow[]> {
  return allIn(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE anonymous_id IN (SELECT value FROM json_each(?1))`, anonymousIds);
}

/** Every visitor that carried one of these userIds (SPEC §3: they are one person). */
export function identitiesOfUsers(d1: D1Database, userIds: readonly string[]): Promise<IdentityRow[]> {
  return allIn(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE user_id IN (SELECT value FROM json_each(?1))`, userIds);
}

/** Every device of these people. */
export function identitiesOfPeople(d1: D1Database, personIds: readonly string[]): Promise<IdentityRow[]> {
  return allIn(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE person_id IN (SELECT value FROM json_each(?1))`, personIds);
}

export function peopleOf(d1: D1Database, ids: readonly string[]): Promise<PersonRow[]> {
  return allIn(d1, "SELECT id, email_domain, first_seen, last_seen FROM people WHERE id IN (SELECT value FROM json_each(?1))", ids);
}

/**
 * Visitors whose evidence mentions these domains, group keys, AS numbers or accounts: the ones
 * an import may re-resolve. Every lookup is an index search (people_email_domain,
 * visitor_identities_group / _asn / _account).
 */
export async function identitiesMentioning(
  d1: D1Database,
  q: { domains: string[]; keys: string[]; asns: number[]; accountIds: number[] },
): Promise<IdentityRow[]> {
  const rows = await Promise.all([
    allIn<IdentityRow>(
      d1,
      `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE person_id IN
         (SELECT id FROM people WHERE email_domain IN (SELECT value FROM json_each(?1)))`,
      q.domains,
    ),
    allIn<IdentityRow>(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE group_id IN (SELECT value FROM json_each(?1))`, [...q.keys, ...q.domains]),
    allIn<IdentityRow>(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE asn IN (SELECT value FROM json_each(?1))`, q.asns),
    allIn<IdentityRow>(d1, `SELECT ${IDENTITY_COLUMNS} FROM visitor_identities WHERE account_id IN (SELECT value FROM json_each(?1))`, q.accountIds),
  ]);
  const unique = new Map<string, IdentityRow>();
  for (const r of rows.flat()) unique.set(r.anonymous_id, r);
  return [...unique.values()];
}

export interface AccountRef {
  id: number;
  domain: string;
}

/** The accounts these keys name: by any of their domains, by CRM id and by AS number. */
export async function accountLookups(
  d1: D1Database,
  q: { keys: string[]; domains: string[]; asns: number[] },
): Promise<{ byDomain: Map<string, AccountRef>; byCrmId: Map<string, AccountRef>; byAsn: Map<number, AccountRef> }> {
  const [domains, crm, asns] = await Promise.all([
    allIn<{ key: string; id: number; domain: string }>(
      d1,
      `SELECT d.domain AS key, a.id, a.domain FROM account_domains d JOIN accounts a ON a.id = d.account_id
       WHERE d.domain IN (SELECT value FROM json_each(?1))`,
      [...new Set([...q.domains, ...q.keys.map((k) => k.toLowerCase())])],
    ),
    allIn<{ key: string; id: number; domain: string }>(
      d1,
      "SELECT crm_id AS key, id, domain FROM accounts WHERE crm_id IN (SELECT value FROM json_each(?1))",
      q.keys,
    ),
    allIn<{ key: number; id: number; domain: string }>(
      d1,
      `SELECT s.asn AS key, a.id, a.domain FROM account_asns s JOIN accounts a ON a.id = s.account_id
       WHERE s.asn IN (SELECT value FROM json_each(?1))`,
      q.asns,
    ),
  ]);
  const map = <K>(rows: { key: K; id: number; domain: string }[]) => new Map(rows.map((r) => [r.key, { id: r.id, domain: r.domain }]));
  return { byDomain: map(domains), byCrmId: map(crm), byAsn: map(asns) };
}

export function upsertIdentities(d1: D1Database, rows: IdentityRow[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO visitor_identities (${IDENTITY_COLUMNS})
         SELECT value ->> 'anonymous_id', value ->> 'site_id', value ->> 'person_id', value ->> 'account_id',
                value ->> 'method', value ->> 'confidence', value ->> 'resolved_at', value ->> 'group_id',
                value ->> 'group_at', value ->> 'asn', value ->> 'as_org', value ->> 'user_id', value ->> 'first_seen', value ->> 'last_seen'
         FROM json_each(?1) WHERE true
         ON CONFLICT (anonymous_id) DO UPDATE SET
           person_id = excluded.person_id, account_id = excluded.account_id, method = excluded.method,
           confidence = excluded.confidence, resolved_at = excluded.resolved_at, group_id = excluded.group_id,
           group_at = excluded.group_at, asn = excluded.asn, as_org = excluded.as_org, user_id = excluded.user_id,
           first_seen = excluded.first_seen, last_seen = excluded.last_seen`,
      )
      .bind(chunk),
  );
}

export function upsertPeople(d1: D1Database, rows: PersonRow[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO people (id, email_domain, first_seen, last_seen)
         SELECT value ->> 'id', value ->> 'email_domain', value ->> 'first_seen', value ->> 'last_seen'
         FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO UPDATE SET email_domain = excluded.email_domain,
           first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`,
      )
      .bind(chunk),
  );
}
