// First-order Markov removal-effect attribution (SPEC §6 "markov"), after Anderl et al. (2016)
// and the ChannelAttribution package. States: start, one per channel, conversion, null. The
// chain is read off ALL journeys, converting and not; a channel's removal effect is
// 1 − P(conversion without it) / P(conversion), and its credit share is its removal effect
// over the sum of all removal effects.

import { byTime } from "./lookback";
import type { Journey, Touchpoint } from "./types";

/** A journey's channels in time order; converted says whether it ended in a won deal. */
export function journeyOf(touches: readonly Touchpoint[], converted: boolean): Journey {
  return { path: [...touches].sort(byTime).map((t) => t.channel), converted };
}

/**
 * channel → share of credit, summing to 1, largest first. Empty when nothing converted (no
 * conversion to share). Absorption probabilities are solved exactly (Gaussian elimination on
 * (I − Q) h = r), once for the full chain and once per removed channel. Self-transitions
 * (the same channel twice in a row) are counted; they do not change absorption probabilities.
 */
export function markovRemovalEffects(journeys: readonly Journey[]): Map<string, number> {
  const chain = countTransitions(journeys);
  const k = chain.channels.length;
  const all = new Array<boolean>(k).fill(true);
  const base = conversionProbability(chain, all);
  if (base <= 0) return new Map();

  const removal = chain.channels.map((_, c) => {
    const kept = all.slice();
    kept[c] = false;
    return Math.max(0, 1 - conversionProbability(chain, kept) / base);
  });
  const total = removal.reduce((a, b) => a + b, 0);
  if (total <= 0) return new Map();
  const shares = chain.channels.map((name, c) => [name, removal[c] / total] as const);
  shares.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(shares);
}

/**
 * One deal's weights: each channel present in the journey gets its removal-effect share
 * renormalised over the channels present (so the deal's whole amount is shared), split evenly
 * over that channel's touches. Why per channel, not per touch: a removal effect measures a
 * channel's presence, and repeating a channel does not make it more necessary. If no channel
 * present has a positive effect (e.g. channels unseen when the effects were computed), the
 * deal falls back to linear so its revenue is not lost.
 */
export function markovWeights(touches: readonly Touchpoint[], effects: ReadonlyMap<string, number>): number[] {
  const perChannel = new Map<string, number>();
  for (const t of touches) perChannel.set(t.channel, (perChannel.get(t.channel) ?? 0) + 1);
  let total = 0;
  for (const channel of perChannel.keys()) total += effects.get(channel) ?? 0;
  if (total <= 0) return touches.map(() => 1 / touches.length);
  return touches.map((t) => (effects.get(t.channel) ?? 0) / total / perChannel.get(t.channel)!);
}

interface Chain {
  channels: string[];
  /** transitions out of each channel: row-major k × k counts */
  between: Float64Array;
  toConversion: Float64Array;
  toNull: Float64Array;
  fromStart: Float64Array;
  /** all transitions out of each channel */
  outTotal: Float64Array;
  starts: number;
}

function countTransitions(journeys: readonly Journey[]): Chain {
  const index = new Map<string, number>();
  for (const j of journeys) for (const ch of j.path) if (!index.has(ch)) index.set(ch, index.size);
  const k = index.size;
  const chain: Chain = {
    channels: [...index.keys()],
    between: new Float64Array(k * k),
    toConversion: new Float64Array(k),
    toNull: new Float64Array(k),
    fromStart: new Float64Array(k),
    outTotal: new Float64Array(k),
    starts: 0,
  };
  for (const { path, converted } of journeys) {
    if (path.length === 0) continue; // no touch, no state to credit
    let prev = index.get(path[0])!;
    chain.fromStart[prev]++;
    chain.starts++;
    for (let i = 1; i < path.length; i++) {
      const next = index.get(path[i])!;
      chain.between[prev * k + next]++;
      chain.outTotal[prev]++;
      prev = next;
    }
    (converted ? chain.toConversion : chain.toNull)[prev]++;
    chain.outTotal[prev]++;
  }
  return chain;
}

/** P(start ⇒ conversion) with the channels not `kept` turned into null states. */
function conversionProbability(chain: Chain, kept: readonly boolean[]): number {
  const k = chain.channels.length;
  const live: number[] = [];
  for (let c = 0; c < k; c++) if (kept[c]) live.push(c);
  const m = live.length;
  // (I − Q) h = r over the kept channels: h = P(conversion | in channel), r = P(channel → conversion).
  const a = new Float64Array(m * (m + 1));
  for (let i = 0; i < m; i++) {
    const from = live[i];
    const out = chain.outTotal[from];
    for (let j = 0; j < m; j++) a[i * (m + 1) + j] = (i === j ? 1 : 0) - chain.between[from * k + live[j]] / out;
    a[i * (m + 1) + m] = chain.toConversion[from] / out;
  }
  const h = solve(a, m);
  let p = 0;
  for (let i = 0; i < m; i++) p += (chain.fromStart[live[i]] / chain.starts) * h[i];
  return p;
}

/** Gaussian elimination with partial pivoting on an m × (m+1) augmented matrix. */
function solve(a: Float64Array, m: number): Float64Array {
  const w = m + 1;
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r * w + col]) > Math.abs(a[pivot * w + col])) pivot = r;
    if (pivot !== col) for (let c = 0; c < w; c++) [a[col * w + c], a[pivot * w + c]] = [a[pivot * w + c], a[col * w + c]];
    const p = a[col * w + col];
    for (let r = col + 1; r < m; r++) {
      const f = a[r * w + col] / p;
      if (f === 0) continue;
      for (let c = col; c < w; c++) a[r * w + c] -= f * a[col * w + c];
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = a[r * w + m];
    for (let c = r + 1; c < m; c++) s -= a[r * w + c] * x[c];
    x[r] = s / a[r * w + r];
  }
  return x;
}
