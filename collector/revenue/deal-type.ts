// A deal's type (SPEC §10): new_business or expansion. The import may say; otherwise it is read
// from the account's won history: the account's first won deal is new business, later ones are
// expansion. Pure: storage hands in each account's first win.

export const DEAL_TYPES = ["new_business", "expansion"] as const;
export type DealType = (typeof DEAL_TYPES)[number];

/** What a deal's type is decided from; instants are epoch ms. */
export interface TypedDeal {
  id: string;
  won: boolean;
  created_at: number | null;
  closed_at: number | null;
  /** as imported; null: from the won history */
  type: DealType | null;
}

/** The account's first win: the won deal with the earliest close (ties: the smaller id). */
export interface FirstWin {
  id: string;
  closed_at: number;
}

/** A deal counts as won once `won` is true and `closed_at` is not in the future (SPEC §10). */
export function countsAsWon(deal: { won: boolean; closed_at: number | null }, now: number): boolean {
  return deal.won && deal.closed_at !== null && deal.closed_at <= now;
}

/**
 * The type of one deal, given its account's first win (null: the account has not won yet).
 * - Imported type: kept as is.
 * - A won deal: new business if it is the account's first win, else expansion.
 * - Any other deal (open, lost, closing later): expansion if the account had already won when
 *   the deal was created (without created_at: by now), else new business.
 */
export function dealType(deal: TypedDeal, firstWin: FirstWin | null, now: number): DealType {
  if (deal.type !== null) return deal.type;
  if (firstWin === null) return "new_business";
  if (countsAsWon(deal, now)) return deal.id === firstWin.id ? "new_business" : "expansion";
  return firstWin.closed_at <= (deal.created_at ?? now) ? "expansion" : "new_business";
}

/** account id → its first win, from any list of the accounts' deals (those not yet won are skipped). */
export function firstWins<D extends TypedDeal & { account_id: string }>(deals: readonly D[], now: number): Map<string, FirstWin> {
  const out = new Map<string, FirstWin>();
  for (const d of deals) {
    if (!countsAsWon(d, now)) continue;
    const seen = out.get(d.account_id);
    if (!seen || d.closed_at! < seen.closed_at || (d.closed_at === seen.closed_at && d.id < seen.id)) out.set(d.account_id, { id: d.id, closed_at: d.closed_at! });
  }
  return out;
}

/** "new business", "New-Business", "expansion" → the type; "" → null; anything else → undefined. */
export function parseDealType(v: unknown): DealType | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase().replace(/[\s-]+/g, "_");
  if (s === "") return null;
  return (DEAL_TYPES as readonly string[]).includes(s) ? (s as DealType) : undefined;
}

/** A stored deal as far as its type is concerned (ISO instants, as storage has them). */
export interface StoredTypedDeal {
  id: string;
  won: boolean;
  created_at: string | null;
  closed_at: string | null;
  type: string | null;
}

/** The same decision on stored rows: `firstWin` as storage reads it (firstWinsOf). */
export function storedDealType(d: StoredTypedDeal, firstWin: { id: string; closed_at: string } | undefined, now: number): DealType {
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  return dealType(
    { id: d.id, won: d.won, created_at: ms(d.created_at), closed_at: ms(d.closed_at), type: parseDealType(d.type) ?? null },
    firstWin ? { id: firstWin.id, closed_at: Date.parse(firstWin.closed_at) } : null,
    now,
  );
}
