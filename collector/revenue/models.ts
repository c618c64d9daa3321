// The seven attribution models of SPEC §6 as pure functions: a won deal's journey (touches of
// all the account's visitors within the lookback before close, in time order) in, one weight
// per touch out, summing to 1. Every rule for short journeys is written down here.

import { journeyBeforeClose } from "./lookback";
import { markovWeights } from "./markov";
import { DAY_MS, type Credit, type Deal, type Model, type Touchpoint } from "./types";

export interface AttributeOptions {
  /** days before closed_at whose touches count; default 365 */
  lookbackDays?: number;
  /** channel → removal-effect share from markovRemovalEffects over ALL journeys; required by "markov" */
  effects?: ReadonlyMap<string, number>;
}

/**
 * Shares a deal over its touches. Returns the credited touches in time order (touches a model
 * gives nothing, e.g. the middle of first_touch, are left out). No touch in the lookback → []:
 * the caller reports the deal's amount as unattributed.
 */
export function attribute(model: Model, touches: readonly Touchpoint[], deal: Deal, opts: AttributeOptions = {}): Credit[] {
  const journey = journeyBeforeClose(touches, deal, opts.lookbackDays);
  if (journey.touches.length === 0) return [];
  const weights = weightsFor(model, journey.touches, deal, opts.effects);
  const credits: Credit[] = [];
  journey.touches.forEach((touch, i) => {
    if (weights[i] > 0) credits.push({ touch, weight: weights[i] });
  });
  return credits;
}

/** Markov needs the context of all journeys, so it takes the precomputed effects explicitly. */
export function attributeMarkov(
  touches: readonly Touchpoint[],
  deal: Deal,
  effects: ReadonlyMap<string, number>,
  opts: { lookbackDays?: number } = {},
): Credit[] {
  return attribute("markov", touches, deal, { ...opts, effects });
}

function weightsFor(model: Model, touches: Touchpoint[], deal: Deal, effects?: ReadonlyMap<string, number>): number[] {
  const n = touches.length;
  switch (model) {
    case "first_touch":
      return touches.map((_, i) => (i === 0 ? 1 : 0));
    case "last_touch":
      return touches.map((_, i) => (i === n - 1 ? 1 : 0));
    case "linear":
      return touches.map(() => 1 / n);
    case "u_shaped":
      return uShaped(n);
    case "w_shaped":
      return wShaped(touches, deal.created_at);
    case "time_decay":
      return timeDecay(touches);
    case "markov":
      if (!effects) throw new Error("The markov model needs removal effects computed over all journeys (markovRemovalEffects).");
      return markovWeights(touches, effects);
  }
}

/** 40% first, 40% last, 20% spread over the middle; n = 1 → 100%, n = 2 → 50/50. */
function uShaped(n: number): number[] {
  if (n === 1) return [1];
  if (n === 2) return [0.5, 0.5];
  return Array.from({ length: n }, (_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
}

/**
 * 30% first touch, 30% lead creation, 30% opportunity creation, 10% over the other touches.
 * - Lead creation: the first touch flagged `lead`; with none, the first touch.
 * - Opportunity creation: the last touch strictly before deal.created_at; with no touch
 *   before it, the first touch (the nearest one); with created_at unknown, the last touch.
 * - Milestones on the same touch add up (first = lead → 60% on that touch).
 * - With no other touches (n ≤ 3, or coinciding milestones), the 10% goes to the milestones in
 *   proportion to their 30% shares, i.e. each milestone is worth 1/3.
 *   So n = 1 → 100%; n = 2 with first = lead → 2/3 and 1/3; n = 3, all distinct → 1/3 each.
 */
function wShaped(touches: Touchpoint[], createdAt: number | null): number[] {
  const n = touches.length;
  const leadAt = touches.findIndex((t) => t.lead);
  const milestones = [0, leadAt >= 0 ? leadAt : 0, opportunityIndex(touches, createdAt)];
  const rest = touches.map((_, i) => i).filter((i) => !milestones.includes(i));
  const weights = new Array<number>(n).fill(0);
  const perMilestone = rest.length > 0 ? 0.3 : 1 / 3;
  for (const m of milestones) weights[m] += perMilestone;
  for (const r of rest) weights[r] += 0.1 / rest.length;
  return weights;
}

function opportunityIndex(touches: Touchpoint[], createdAt: number | null): number {
  if (createdAt === null) return touches.length - 1;
  let last = 0;
  for (let i = 0; i < touches.length; i++) if (touches[i].at < createdAt) last = i;
  return last;
}

/**
 * 2^(−days_before_close / 7), normalised: a touch a week older is worth half. Days are counted
 * back from the latest touch instead of the close — the same ratios after normalising — so a
 * long lookback cannot underflow every weight to 0.
 */
function timeDecay(touches: Touchpoint[]): number[] {
  const latest = touches[touches.length - 1].at;
  const raw = touches.map((t) => 2 ** (-(latest - t.at) / DAY_MS / 7));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}
