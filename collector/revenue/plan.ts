// The backward planner (SPEC §10 GET /v1/funnel/plan): from a revenue goal and a deal size,
// how many of each funnel stage a period needs. Customers needed = revenue ÷ deal size; each
// stage above = the one below ÷ its rate (the share of the stage above that converts into it).
//
// The annual-plan example: 10,000,000 a year, deals of 1,100,000, stages
// visits, leads, mqls, sqls, opportunities, customers at 1.5%, 20%, 20%, 40%, 50%:
// customers 9.09 a year (0.758 a month), opportunities 18.18, sqls 45.45, mqls 227.27,
// leads 1,136.36, visits 75,757.58 a year = 6,313.13 a month.

export const PLAN_PERIODS = ["year", "quarter", "month"] as const;
export type PlanPeriod = (typeof PLAN_PERIODS)[number];
export const MONTHS_IN: Record<PlanPeriod, number> = { year: 12, quarter: 3, month: 1 };

export interface PlanInput {
  revenue: number;
  deal_size: number;
  per: PlanPeriod;
  /** top to bottom; the last is the stage that brings the revenue (customers) */
  stages: readonly string[];
  /** rates[i] converts stages[i] into stages[i + 1]: one fewer than the stages */
  rates: readonly number[];
}

export interface PlanStage {
  name: string;
  /** the share of the stage above that becomes this one; null for the top stage */
  rate: number | null;
  per_period: number;
  per_month: number;
}

/** The plan, top stage first, or the sentence saying what is wrong with the input. */
export function planFunnel(input: PlanInput): PlanStage[] | { error: string } {
  const { stages, rates } = input;
  if (!(input.revenue > 0) || !Number.isFinite(input.revenue)) return { error: "`revenue` must be a number above 0." };
  if (!(input.deal_size > 0) || !Number.isFinite(input.deal_size)) return { error: "`deal_size` must be a number above 0." };
  if (stages.length < 2) return { error: "`stages` must name at least two stages, top to bottom." };
  if (new Set(stages).size !== stages.length) return { error: "`stages` names a stage twice." };
  if (rates.length !== stages.length - 1) {
    return { error: `\`rates\` must give ${stages.length - 1} rates for ${stages.length} stages (each stage's share of the one above), got ${rates.length}.` };
  }
  // Measured rates may exceed 1 (more deals created than leads, when sales opens deals for
  // accounts nobody identified at): they are facts, so only 0 and below are refused here.
  const bad = rates.findIndex((r) => !(r > 0 && Number.isFinite(r)));
  if (bad >= 0) return { error: `No rate from ${stages[bad]} to ${stages[bad + 1]}: nothing converted${rates[bad] === 0 ? "" : " or it was not measured"}; give \`rates\`.` };

  const months = MONTHS_IN[input.per];
  const needed = new Array<number>(stages.length);
  needed[stages.length - 1] = input.revenue / input.deal_size;
  for (let i = stages.length - 2; i >= 0; i--) needed[i] = needed[i + 1] / rates[i];
  return stages.map((name, i) => ({ name, rate: i === 0 ? null : rates[i - 1], per_period: needed[i], per_month: needed[i] / months }));
}

/**
 * `rates` as a person writes them: "0.015,0.2,0.2" or "1.5%,20%,20%". Each must be above 0 and
 * at most 1 (100%): a given rate of 1.5 is far more likely to mean 1.5% than 150%.
 */
export function parseRates(text: string): number[] | { error: string } {
  const parts = text.split(",").map((p) => p.trim());
  const rates: number[] = [];
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(p);
    const r = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
    if (!(r > 0 && r <= 1)) return { error: `\`rates\` must be shares above 0 and at most 1, or percentages, separated by commas: 0.015,0.2 or 1.5%,20% (got ${JSON.stringify(p.slice(0, 20))}).` };
    rates.push(r);
  }
  return rates;
}

/** `stages` as a comma list of names: letters, digits, _ and -, at most 12 stages. */
export function parseStages(text: string): string[] | { error: string } {
  const names = text.split(",").map((p) => p.trim());
  if (names.length > 12 || names.some((n) => !/^[A-Za-z0-9_-]{1,40}$/.test(n))) {
    return { error: "`stages` must be stage names (letters, digits, _ or -) separated by commas, top to bottom, at most 12: visits,leads,mqls,sqls,opportunities,customers." };
  }
  return names;
}
