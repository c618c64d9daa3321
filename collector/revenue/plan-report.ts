// GET /v1/funnel/plan: the backward planner (plan.ts) with the rates given, or else the rates
// the funnel measures over the last 365 days (its stage counts only: storage/funnel.ts stageCounts).
import { stageCounts } from "../storage/funnel";
import { FUNNEL_STAGES, stageRates } from "./funnel";
import { type PlanPeriod, planFunnel, type PlanStage } from "./plan";
import { daySpan } from "./span";
import { DAY_MS } from "./types";

export interface PlanQuery {
  revenue: number;
  deal_size: number;
  per: PlanPeriod;
  /** default: visitors, leads, opportunities, customers */
  stages?: string[];
  /** default: measured, for the default stages only */
  rates?: number[];
  now: Date;
}

export interface PlanAnswer {
  revenue: number;
  deal_size: number;
  per: PlanPeriod;
  /** where the rates came from: given, or measured over `measured` */
  rates_from: "given" | "measured";
  measured?: { from: string; to: string };
  stages: PlanStage[];
}

export async function planReport(d1: D1Database, q: PlanQuery): Promise<PlanAnswer | { error: string }> {
  const stages = q.stages ?? [...FUNNEL_STAGES];
  let rates = q.rates;
  let measured: { from: string; to: string } | undefined;
  if (!rates) {
    if (q.stages && q.stages.join() !== FUNNEL_STAGES.join()) {
      return { error: `Rates are measured only for the stages ${FUNNEL_STAGES.join(",")}; with other \`stages\`, give \`rates\`.` };
    }
    const today = q.now.toISOString().slice(0, 10);
    measured = { from: new Date(Date.parse(`${today}T00:00:00Z`) - 364 * DAY_MS).toISOString().slice(0, 10), to: today };
    // The same rates GET /v1/funnel answers for these days, to the same 6 decimals.
    const counts = await stageCounts(d1, daySpan(measured), q.now.toISOString());
    rates = stageRates(counts).map((r) => (r === null ? 0 : Math.round(r * 1e6) / 1e6));
  }
  const plan = planFunnel({ revenue: q.revenue, deal_size: q.deal_size, per: q.per, stages, rates });
  if ("error" in plan) return plan;
  const round = (n: number) => Math.round(n * 1e4) / 1e4;
  return {
    revenue: q.revenue,
    deal_size: q.deal_size,
    per: q.per,
    rates_from: measured ? "measured" : "given",
    ...(measured ? { measured } : {}),
    stages: plan.map((s) => ({ ...s, per_period: round(s.per_period), per_month: round(s.per_month) })),
  };
}
