// The return columns of GET /v1/pipeline rows that have spend (SPEC §10): spend, clicks, ROAS on
// the won part, revenue per click and cost per opportunity, in the report's currency. A source of
// extra columns for pipeline-report.ts; the arithmetic is returns.ts's, shared with /v1/revenue.
import { SPEND_DIMENSIONS, type SpendDimension, spendSums } from "../storage/spend";
import type { ExtraColumns, PipelineColumns } from "./pipeline-report";
import { spendInCurrency, spendReturns } from "./returns";

export const pipelineSpendColumns: PipelineColumns = async (d1, { query, currency, rows }): Promise<ExtraColumns> => {
  // Spend has no page, landing page or segment: those groupings get only the total row's spend.
  const by = (SPEND_DIMENSIONS as readonly string[]).includes(query.by) ? (query.by as SpendDimension) : null;
  const spend = spendInCurrency(await spendSums(d1, by ?? "channel", query.window.from, query.window.to), currency);
  const out = new Map<string, Record<string, number | null>>();
  for (const r of rows) {
    const spent = r.key === "total" ? spend.total : by ? spend.byKey.get(r.key) : undefined;
    const columns = spendReturns({ revenue: r.won_revenue, opportunities: r.deals }, spent);
    if (columns) out.set(r.key, { ...columns });
  }
  return out;
};
