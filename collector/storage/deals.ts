// The deals table: upserts from PUT /v1/deals, and the reads revenue, pipeline, funnel,
// customers and the timeline need.
import { jsonChunks } from "./db";

export interface DealRow {
  id: string;
  account_id: number;
  account_ref: string;
  amount: number;
  currency: string;
  stage: string | null;
  created_at: string | null;
  closed_at: string | null;
  won: boolean;
  /** new_business | expansion as imported; null: from the account's won history */
  type: string | null;
  imported_at: string;
  updated_at: string;
}

const COLUMNS = "id, account_id, account_ref, amount, currency, stage, created_at, closed_at, won, type, imported_at, updated_at";
type StoredDeal = Omit<DealRow, "won"> & { won: number };
const fromStored = (r: StoredDeal): DealRow => ({ ...r, won: r.won === 1 });

/** Ids among these that are already stored (to tell created from updated). */
export async function existingDealIds(d1: D1Database, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of jsonChunks(ids)) {
    const { results } = await d1
      .prepare("SELECT id FROM deals WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(chunk)
      .all<{ id: string }>();
    for (const r of results) found.add(r.id);
  }
  return found;
}

/** Insert or replace by id; imported_at keeps the first import's time. */
export function upsertDeals(d1: D1Database, rows: DealRow[]): D1PreparedStatement[] {
  return jsonChunks(rows.map((r) => ({ ...r, won: r.won ? 1 : 0 }))).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO deals (${COLUMNS})
         SELECT value ->> 'id', value ->> 'account_id', value ->> 'account_ref', value ->> 'amount', value ->> 'currency',
                value ->> 'stage', value ->> 'created_at', value ->> 'closed_at', value ->> 'won', value ->> 'type',
                value ->> 'imported_at', value ->> 'updated_at'
         FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO UPDATE SET
           account_id = excluded.account_id, account_ref = excluded.account_ref, amount = excluded.amount,
           currency = excluded.currency, stage = excluded.stage, created_at = excluded.created_at,
           closed_at = excluded.closed_at, won = excluded.won, type = excluded.type, updated_at = excluded.updated_at`,
      )
      .bind(chunk),
  );
}

/** Won deals closed in [from, to) (ISO instants), through the (won, closed_at) index. */
export async function wonDealsClosedIn(d1: D1Database, from: string, to: string): Promise<DealRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM deals WHERE won = 1 AND closed_at >= ?1 AND closed_at < ?2 ORDER BY closed_at, id`)
    .bind(from, to)
    .all<StoredDeal>();
  return results.map(fromStored);
}

/** Deals created in [from, to) (ISO instants), any stage, through deals_created. */
export async function dealsCreatedIn(d1: D1Database, from: string, to: string): Promise<DealRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM deals WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, id`)
    .bind(from, to)
    .all<StoredDeal>();
  return results.map(fromStored);
}

/** Won deals closed by `until` (inclusive): the won history customers and deal types are read from. */
export async function wonDealsUntil(d1: D1Database, until: string): Promise<DealRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM deals WHERE won = 1 AND closed_at <= ?1 ORDER BY closed_at, id`)
    .bind(until)
    .all<StoredDeal>();
  return results.map(fromStored);
}

/**
 * account id → its first win by `until` (the won deal closed first; ties: the smaller id), for
 * these accounts only.
 */
export async function firstWinsOf(d1: D1Database, accountIds: number[], until: string): Promise<Map<number, { id: string; closed_at: string }>> {
  const out = new Map<number, { id: string; closed_at: string }>();
  for (const chunk of jsonChunks(accountIds)) {
    const { results } = await d1
      .prepare(
        `SELECT account_id, id, closed_at FROM (
           SELECT account_id, id, closed_at, row_number() OVER (PARTITION BY account_id ORDER BY closed_at, id) AS n
           FROM deals WHERE won = 1 AND closed_at <= ?2 AND account_id IN (SELECT value FROM json_each(?1))
         ) WHERE n = 1`,
      )
      .bind(chunk, until)
      .all<{ account_id: number; id: string; closed_at: string }>();
    for (const r of results) out.set(r.account_id, { id: r.id, closed_at: r.closed_at });
  }
  return out;
}

export async function dealsOfAccount(d1: D1Database, accountId: number, limit = 1_000): Promise<DealRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM deals WHERE account_id = ?1 ORDER BY coalesce(closed_at, created_at, imported_at), id LIMIT ?2`)
    .bind(accountId, limit)
    .all<StoredDeal>();
  return results.map(fromStored);
}

/** A page of deals, most recently closed (or created) first, with the account's domain. */
export async function listDeals(
  d1: D1Database,
  q: { accountId: number | null; limit: number; offset: number },
): Promise<(DealRow & { account_domain: string | null })[]> {
  const { results } = await d1
    .prepare(
      `SELECT d.*, a.domain AS account_domain FROM deals d LEFT JOIN accounts a ON a.id = d.account_id
       WHERE (?1 IS NULL OR d.account_id = ?1)
       ORDER BY coalesce(d.closed_at, d.created_at, d.imported_at) DESC, d.id LIMIT ?2 OFFSET ?3`,
    )
    .bind(q.accountId, q.limit, q.offset)
    .all<StoredDeal & { account_domain: string | null }>();
  return results.map((r) => ({ ...fromStored(r), account_domain: r.account_domain }));
}
