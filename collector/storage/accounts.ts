// Writes of accounts, their domains and AS numbers; the reads PUT /v1/accounts needs to upsert.
import { jsonChunks } from "./db";

export type AccountSource = "import" | "email" | "group";

export interface AccountRow {
  id: number;
  domain: string;
  name: string | null;
  crm_id: string | null;
  segment: string | null;
  source: AccountSource;
  created_at: string;
  updated_at: string;
}

/** A random id below 2^48: safe in JSON and JS numbers, chosen before the row exists. */
export function newAccountId(): number {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return (hi & 0xffff) * 2 ** 32 + lo + 1;
}

/**
 * New accounts with their primary domain. A plain INSERT on purpose: if another writer created
 * the domain meanwhile, the whole batch fails and the queue message is retried against it.
 */
export function insertAccounts(d1: D1Database, rows: AccountRow[]): D1PreparedStatement[] {
  return jsonChunks(rows).flatMap((chunk) => [
    d1
      .prepare(
        `INSERT INTO accounts (id, domain, name, crm_id, segment, source, created_at, updated_at)
         SELECT value ->> 'id', value ->> 'domain', value ->> 'name', value ->> 'crm_id', value ->> 'segment',
                value ->> 'source', value ->> 'created_at', value ->> 'updated_at' FROM json_each(?1)`,
      )
      .bind(chunk),
    d1
      .prepare(
        `INSERT INTO account_domains (domain, account_id) SELECT value ->> 'domain', value ->> 'id' FROM json_each(?1) WHERE true
         ON CONFLICT (domain) DO UPDATE SET account_id = excluded.account_id`,
      )
      .bind(chunk),
  ]);
}

export function updateAccounts(d1: D1Database, rows: AccountRow[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `UPDATE accounts SET domain = m.value ->> 'domain', name = m.value ->> 'name', crm_id = m.value ->> 'crm_id',
           segment = m.value ->> 'segment', source = m.value ->> 'source', updated_at = m.value ->> 'updated_at'
         FROM json_each(?1) m WHERE accounts.id = m.value ->> 'id'`,
      )
      .bind(chunk),
  );
}

/** Deletes accounts (merged into another) with their domains and AS numbers. */
export function deleteAccounts(d1: D1Database, ids: number[]): D1PreparedStatement[] {
  return jsonChunks(ids).flatMap((chunk) =>
    ["account_domains", "account_asns"].map((t) =>
      d1.prepare(`DELETE FROM ${t} WHERE account_id IN (SELECT value FROM json_each(?1))`).bind(chunk),
    ).concat(d1.prepare("DELETE FROM accounts WHERE id IN (SELECT value FROM json_each(?1))").bind(chunk)),
  );
}

/** Points domains at accounts (a domain belongs to exactly one account). */
export function assignDomains(d1: D1Database, rows: { domain: string; account_id: number }[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO account_domains (domain, account_id) SELECT value ->> 'domain', value ->> 'account_id' FROM json_each(?1) WHERE true
         ON CONFLICT (domain) DO UPDATE SET account_id = excluded.account_id`,
      )
      .bind(chunk),
  );
}

export function assignAsns(d1: D1Database, rows: { asn: number; account_id: number }[]): D1PreparedStatement[] {
  return jsonChunks(rows).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO account_asns (asn, account_id) SELECT value ->> 'asn', value ->> 'account_id' FROM json_each(?1) WHERE true
         ON CONFLICT (asn) DO UPDATE SET account_id = excluded.account_id`,
      )
      .bind(chunk),
  );
}

/** Accounts that own any of these domains, or carry any of these CRM ids, with the matched key. */
export async function accountsByDomainOrCrm(
  d1: D1Database,
  domains: string[],
  crmIds: string[],
): Promise<{ byDomain: Map<string, AccountRow>; byCrmId: Map<string, AccountRow> }> {
  const byDomain = new Map<string, AccountRow>();
  const byCrmId = new Map<string, AccountRow>();
  for (const chunk of jsonChunks(domains)) {
    const { results } = await d1
      .prepare(
        `SELECT d.domain AS matched, a.* FROM account_domains d JOIN accounts a ON a.id = d.account_id
         WHERE d.domain IN (SELECT value FROM json_each(?1))`,
      )
      .bind(chunk)
      .all<AccountRow & { matched: string }>();
    for (const { matched, ...row } of results) byDomain.set(matched, row);
  }
  for (const chunk of jsonChunks(crmIds)) {
    const { results } = await d1
      .prepare("SELECT * FROM accounts WHERE crm_id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<AccountRow>();
    for (const row of results) byCrmId.set(row.crm_id!, row);
  }
  return { byDomain, byCrmId };
}
