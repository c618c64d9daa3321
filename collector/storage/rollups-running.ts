// Keeps account_days' scaled weight (ws) and running sums current (see accounts/scoring.ts).
// Set-based statements for the caller's batch; they run after the counters changed.
import type { Scoring } from "../accounts/scoring";
import { jsonChunks } from "./db";

/** An account whose days from `from` on (YYYY-MM-DD; "0000-00-00" for all) changed. */
export interface Touched {
  account_id: number;
  from: string;
}

/** ws of a row, with the weights, epoch and half-life bound from parameter ?n on (see params). */
const ws = (n: number) => `(page_views * ?${n} + high_intent_page_views * ?${n + 1} + form_starts * ?${n + 2}
  + form_submits * ?${n + 3} + engaged_ms * ?${n + 4} / 60000.0)
  * exp(((julianday(day) - 2440587.5) - ?${n + 5}) * 0.6931471805599453 / ?${n + 6})`; // julianday(1970-01-01) = 2440587.5

const RUNNING = `SELECT account_id, day,
    sum(ws) OVER w AS run_ws, sum(sessions) OVER w AS run_sessions,
    sum(page_views + high_intent_page_views) OVER w AS run_pageviews,
    sum(form_submits) OVER w AS run_form_submits, sum(engaged_ms) OVER w AS run_engaged_ms
  FROM account_days`;
const WINDOW = "WINDOW w AS (PARTITION BY account_id ORDER BY day ROWS UNBOUNDED PRECEDING)";
const SET_RUNNING = `run_ws = x.run_ws, run_sessions = x.run_sessions, run_pageviews = x.run_pageviews,
  run_form_submits = x.run_form_submits, run_engaged_ms = x.run_engaged_ms`;

const params = (s: Scoring) => {
  const w = s.settings.weights;
  return [w.page_view, w.high_intent_page_view, w.form_start, w.form_submit, w.engaged_minute, s.epochDay, s.settings.half_life_days];
};

/** Recomputes ws and the running sums of the touched accounts from their first changed day. */
export function refreshRunningSums(d1: D1Database, touched: Touched[], s: Scoring): D1PreparedStatement[] {
  const byAccount = new Map<number, string>();
  for (const t of touched) byAccount.set(t.account_id, t.from < (byAccount.get(t.account_id) ?? "9999") ? t.from : byAccount.get(t.account_id)!);
  const rows = [...byAccount].map(([account_id, from]) => ({ account_id, from }));
  return jsonChunks(rows).flatMap((chunk) => [
    d1
      .prepare(
        `UPDATE account_days SET ws = ${ws(2)} FROM json_each(?1) t
         WHERE account_days.account_id = t.value ->> 'account_id' AND account_days.day >= t.value ->> 'from'`,
      )
      .bind(chunk, ...params(s)),
    d1
      .prepare(
        `UPDATE account_days SET ${SET_RUNNING}
         FROM (${RUNNING} WHERE account_id IN (SELECT value ->> 'account_id' FROM json_each(?1)) ${WINDOW}) x
         JOIN json_each(?1) t ON t.value ->> 'account_id' = x.account_id
         WHERE account_days.account_id = x.account_id AND account_days.day = x.day AND x.day >= t.value ->> 'from'`,
      )
      .bind(chunk),
  ]);
}

/** Every account, every day: after the weights, the half-life or the epoch changed. */
export function recomputeAllRunningSums(d1: D1Database, s: Scoring): D1PreparedStatement[] {
  return [
    d1.prepare(`UPDATE account_days SET ws = ${ws(1)}`).bind(...params(s)),
    d1.prepare(`UPDATE account_days SET ${SET_RUNNING} FROM (${RUNNING} ${WINDOW}) x WHERE account_days.account_id = x.account_id AND account_days.day = x.day`),
  ];
}
