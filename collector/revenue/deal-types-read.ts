// Deals with their type decided (deal-type.ts): the account's first win is read for each
// account of the rows, so a page of deals or one account's timeline costs one more query.
import { type DealRow, firstWinsOf } from "../storage/deals";
import { type DealType, storedDealType } from "./deal-type";

export async function withDealTypes<R extends DealRow>(d1: D1Database, rows: readonly R[], now: Date): Promise<(R & { type: DealType })[]> {
  const wins = await firstWinsOf(d1, [...new Set(rows.map((r) => r.account_id))], now.toISOString());
  return rows.map((r) => ({ ...r, type: storedDealType(r, wins.get(r.account_id), now.getTime()) }));
}
