// Markov removal effects in DuckDB SQL: the baseline of bench/markov.mjs, computing what
// collector/revenue/markov.ts computes, by other means. The same first-order chain (states:
// start, one per channel, conversion, null; every journey, converting or not; self-transitions
// counted), but P(conversion) is found by value iteration in a recursive CTE — h ← r + Q·h, from
// h = 0, ITERATIONS times — where the collector solves (I − Q)·h = r by Gaussian elimination.
// Both must give the same shares (to 1e-9 once the iteration has converged).

/** Enough sweeps for journeys of up to ~20 touches: the error shrinks by P(continue) per sweep. */
export const ITERATIONS = 300;

/**
 * The statement: reads `journeys(id, step, channel, converted)` (step from 0 in time order) and
 * answers `(channel, share)` rows, the shares summing to 1.
 */
export function removalEffectsSql(table = "journeys", iterations = ITERATIONS) {
  return `
WITH RECURSIVE
moves AS (
  SELECT channel AS src,
         coalesce(lead(channel) OVER (PARTITION BY id ORDER BY step), CASE WHEN converted THEN '(conversion)' ELSE '(null)' END) AS dst
  FROM ${table}
),
counts AS (SELECT src, dst, count(*)::DOUBLE AS n FROM moves GROUP BY src, dst),
totals AS (SELECT src, sum(n) AS out FROM counts GROUP BY src),
prob AS (SELECT c.src, c.dst, c.n / t.out AS p FROM counts c JOIN totals t USING (src)),
channels AS (SELECT DISTINCT channel AS ch FROM ${table}),
starts AS (SELECT channel AS ch, count(*)::DOUBLE / sum(count(*)) OVER () AS p FROM ${table} WHERE step = 0 GROUP BY channel),
-- scenario '' is the whole chain; every other removes one channel (it becomes the null state)
scenarios AS (SELECT '' AS removed UNION ALL SELECT ch FROM channels),
kept AS (
  SELECT s.removed AS scn, c.ch AS src, coalesce((SELECT p FROM prob WHERE prob.src = c.ch AND dst = '(conversion)'), 0) AS conv
  FROM scenarios s, channels c WHERE c.ch <> s.removed
),
h(scn, it, ch, v) AS (
  SELECT scn, 0, src, 0.0::DOUBLE FROM kept
  UNION ALL
  SELECT k.scn, h.it + 1, k.src, any_value(k.conv) + coalesce(sum(p.p * h.v), 0)
  FROM h JOIN kept k ON k.scn = h.scn
  LEFT JOIN prob p ON p.src = k.src AND p.dst = h.ch
  WHERE h.it < ${iterations}
  GROUP BY k.scn, h.it, k.src
),
conversion AS (
  SELECT h.scn, sum(st.p * h.v) AS p FROM h JOIN starts st ON st.ch = h.ch WHERE h.it = ${iterations} GROUP BY h.scn
),
effects AS (
  SELECT c.scn AS channel, greatest(0, 1 - c.p / f.p) AS e FROM conversion c, conversion f WHERE f.scn = '' AND c.scn <> ''
)
SELECT channel, e / sum(e) OVER () AS share FROM effects ORDER BY share DESC, channel`;
}
