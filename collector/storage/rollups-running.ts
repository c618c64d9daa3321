// Keeps account_days' scaled weight (ws) and running sums current (see accounts/scoring.ts).
// Set-based statements for the caller's batch; they run after the counters changed.
//
// The weights, half-life and epoch are read from the settings table inside the statement, not
// bound from what the caller read earlier: a settings change committed in between (which
// recomputes every row) can then never be mixed with stale values.
import { DEFAULT_EPOCH_DAY } from "../accounts/scoring";
import { DEFAULT_ENGAGEMENT } from "../engagement/settings";
import { jsonChunks } from "./db";

/** An account whose days from `from` on (YYYY-MM-DD; "0000-00-00" for all) changed. */
export interface Touched {
  account_id: number;
  from: string;
}

const d = DEFAULT_ENGAGEMENT.weights;
const weight = (name: keyof typeof d) => `coalesce(s.value ->> '$.weights.${name}', ${d[name]})`;
/** One row of scoring parameters: the stored settings, or the SPEC defaults. */
const PARAMS = `(SELECT ${weight("page_view")} AS w_pv, ${weight("high_intent_page_view")} AS w_hi,
    ${weight("form_start")} AS w_fs, ${weight("form_submit")} AS w_fsub, ${weight("engaged_minute")} AS w_min,
    coalesce(s.value ->> '$.half_life_days', ${DEFAULT_ENGAGEMENT.half_life_days}) AS half_life,
    coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'score_epoch_day'), ${DEFAULT_EPOCH_DAY}) AS epoch
  FROM (SELECT (SELECT value FROM settings WHERE key = 'engagement') AS value) s) p`;
// julianday(1970-01-01) = 2440587.5, so julianday(day) − 2440587.5 is the day number.
const WS = `(page_views * p.w_pv + high_intent_page_views * p.w_hi + form_starts * p.w_fs + form_submits * p.w_fsub
  + engaged_ms * p.w_min / 60000.0) * exp(((julianday(day) - 2440587.5) - p.epoch) * 0.6931471805599453 / p.half_life)`;

const RUNNING = `SELECT account_id, day,
    sum(ws) OVER w AS run_ws, sum(sessions) OVER w AS run_sessions,
    sum(page_views + high_intent_page_views) OVER w AS run_pageviews,
    sum(form_submits) OVER w AS run_form_submits, sum(engaged_ms) OVER w AS run_engaged_ms
  FROM account_days`;
const WINDOW = "WINDOW w AS (PARTITION BY account_id ORDER BY day ROWS UNBOUNDED PRECEDING)";
const SET_RUNNING = `run_ws = x.run_ws, run_sessions = x.run_sessions, run_pageviews = x.run_pageviews,
  run_form_submits = x.run_form_submits, run_engaged_ms = x.run_engaged_ms`;

/**
 * Recomputes ws and the running sums of the touched accounts from their first changed day. Each
 * running sum continues from the account's last row before that day, never from its first row,
 * so rows the retention job deleted do not change the sums of the rows that remain (a window's
 * total is a difference of two running sums: the rows before it cancel out).
 */
export function refreshRunningSums(d1: D1Database, touched: Touched[]): D1PreparedStatement[] {
  const byAccount = new Map<number, string>();
  for (const t of touched) {
    const known = byAccount.get(t.account_id);
    byAccount.set(t.account_id, known !== undefined && known < t.from ? known : t.from);
  }
  const rows = [...byAccount].map(([account_id, from]) => ({ account_id, from }));
  return jsonChunks(rows).flatMap((chunk) => [
    d1
      .prepare(
        `UPDATE account_days SET ws = ${WS} FROM json_each(?1) t, ${PARAMS}
         WHERE account_days.account_id = t.value ->> 'account_id' AND account_days.day >= t.value ->> 'from'`,
      )
      .bind(chunk),
    d1
      .prepare(
        `UPDATE account_days SET ${SET_RUNNING}
         FROM (
           SELECT ad.account_id, ad.day,
             sum(ad.ws) OVER w + coalesce(b.run_ws, 0) AS run_ws,
             sum(ad.sessions) OVER w + coalesce(b.run_sessions, 0) AS run_sessions,
             sum(ad.page_views + ad.high_intent_page_views) OVER w + coalesce(b.run_pageviews, 0) AS run_pageviews,
             sum(ad.form_submits) OVER w + coalesce(b.run_form_submits, 0) AS run_form_submits,
             sum(ad.engaged_ms) OVER w + coalesce(b.run_engaged_ms, 0) AS run_engaged_ms
           FROM json_each(?1) t
           JOIN account_days ad ON ad.account_id = t.value ->> 'account_id' AND ad.day >= t.value ->> 'from'
           LEFT JOIN account_days b ON b.account_id = ad.account_id
             AND b.day = (SELECT max(p.day) FROM account_days p WHERE p.account_id = ad.account_id AND p.day < t.value ->> 'from')
           WINDOW w AS (PARTITION BY ad.account_id ORDER BY ad.day ROWS UNBOUNDED PRECEDING)
         ) x
         WHERE account_days.account_id = x.account_id AND account_days.day = x.day`,
      )
      .bind(chunk),
  ]);
}

/** Every account, every day: after the weights, the half-life or the epoch changed. */
export function recomputeAllRunningSums(d1: D1Database): D1PreparedStatement[] {
  return [
    d1.prepare(`UPDATE account_days SET ws = ${WS} FROM ${PARAMS}`),
    d1.prepare(`UPDATE account_days SET ${SET_RUNNING} FROM (${RUNNING} ${WINDOW}) x WHERE account_days.account_id = x.account_id AND account_days.day = x.day`),
  ];
}
