// PUT /v1/spend: upsert validated spend rows by (date, channel, source, medium, campaign). Not
// pure (it reads and writes D1 through storage); the row rules are in spend-rows.ts.
import { existingSpendKeys, type SpendRow, upsertSpend } from "../storage/spend";
import { type RowError, type SpendInput, spendKey } from "./spend-rows";

export interface SpendImportResult {
  created: number;
  updated: number;
  invalid: number;
  /** invalid rows in request order */
  errors: RowError[];
}

export async function importSpend(d1: D1Database, rows: SpendInput[], invalid: RowError[], now: string): Promise<SpendImportResult> {
  const errors = [...invalid];
  const seen = new Map<string, number>();
  const kept: SpendRow[] = [];
  for (const r of rows) {
    const key = spendKey(r);
    const earlier = seen.get(key);
    // Two rows for one key would leave whichever came last: refuse the second instead of guessing.
    if (earlier !== undefined) {
      errors.push({ row: r.row, reason: `Row ${earlier} of this import already has spend for ${r.date}, ${r.channel}, ${describe(r)}; sum them into one row.` });
      continue;
    }
    seen.set(key, r.row);
    const { row: _row, ...fields } = r;
    kept.push({ ...fields, imported_at: now, updated_at: now });
  }
  const existing = await existingSpendKeys(d1, kept);
  const statements = upsertSpend(d1, kept);
  if (statements.length > 0) await d1.batch(statements);
  const updated = kept.filter((r) => existing.has(spendKey(r))).length;
  return { created: kept.length - updated, updated, invalid: errors.length, errors: errors.sort((a, b) => a.row - b.row) };
}

const describe = (r: SpendInput) =>
  [["source", r.source], ["medium", r.medium], ["campaign", r.campaign]].map(([k, v]) => `${k} ${v ? JSON.stringify(v) : "(none)"}`).join(", ");
