// The hourly job's alert step (collector/lifecycle/scheduled.ts): surging and score_above rules
// fire when an account changes into the state (it was not surging, or not above the threshold,
// at the last check); pending deliveries whose queue message never arrived are sent again; and
// finished deliveries older than 30 days are dropped.
import { rankAccounts } from "../storage/accounts-read";
import { readScoring } from "../storage/accounts-settings";
import { windowScale } from "../accounts/scoring";
import { round4 } from "../accounts/ranking";
import { shiftDay } from "../accounts/window";
import { dayString, dayNumber, type DayActivity } from "../engagement/activity";
import { surging, weeklyActivity } from "../engagement/surge";
import type { Env } from "../env";
import { activeAccountsOf, alertAccountsOf, fireStatements, listRules, markRequeued, type NewDelivery, overdueDeliveries, pruneDeliveries, setActive, weeklyCounters } from "../storage/alerts";
import { enqueueDeliveries } from "./deliver";
import { cooldownUntil, stateChanges } from "./evaluate";
import type { FiringDetail } from "./facts";
import { newDeliveryId } from "./fire";
import type { AlertRule } from "./rules";

/** A pending delivery this late for its attempt lost its queue message (or the consumer died on it). */
const OVERDUE_MS = 5 * 60_000;
const SWEEP_LIMIT = 500;
const KEEP_DELIVERIES_DAYS = 30;
/** Score pages read per check: 20 × 500 accounts above the lowest threshold. */
const SCORE_PAGES = 20;

/** Accounts (id → segment) in each rule's state now: surging, or with a 30-day score above the threshold. */
export async function accountsInState(d1: D1Database, rules: readonly AlertRule[], now: Date): Promise<Map<string, Set<number>>> {
  const today = now.toISOString().slice(0, 10);
  const out = new Map<string, Set<number>>();
  const scoring = await readScoring(d1);
  const inSegment = (rule: AlertRule, segment: string | null) => rule.segment === null || rule.segment === segment;

  const surgeRules = rules.filter((r) => r.kind === "surging");
  if (surgeRules.length) {
    // One row per account and week; a week's sums weigh the same as its days (no decay in surge).
    const byAccount = new Map<number, { segment: string | null; days: DayActivity[] }>();
    for (const w of await weeklyCounters(d1, today)) {
      const entry = byAccount.get(w.account_id) ?? { segment: w.segment, days: [] };
      entry.days.push({ day: dayString(dayNumber(today) - 7 * w.week), page_views: w.page_views, high_intent_page_views: w.high_intent_page_views, form_starts: w.form_starts, form_submits: w.form_submits, engaged_seconds: w.engaged_ms / 1000 });
      byAccount.set(w.account_id, entry);
    }
    const surgingNow = [...byAccount].filter(([, a]) => surging(weeklyActivity(a.days, today, scoring.settings)));
    for (const r of surgeRules) out.set(r.id, new Set(surgingNow.filter(([, a]) => inSegment(r, a.segment)).map(([id]) => id)));
  }

  const scoreRules = rules.filter((r) => r.kind === "score_above");
  if (scoreRules.length) {
    const lowest = Math.min(...scoreRules.map((r) => r.threshold ?? 0));
    const from = shiftDay(today, -29);
    const scale = windowScale(today, scoring);
    const above: { id: number; segment: string | null; score: number }[] = [];
    let after: { value: number; domain: string } | null = null;
    for (let page = 0; page < SCORE_PAGES; page++) {
      const rows = await rankAccounts(d1, { from, to: today, scale, segment: null, sort: "score", limit: 500, after });
      for (const r of rows) if (round4(r.sort_value) > lowest) above.push({ id: r.id, segment: r.segment, score: round4(r.sort_value) });
      const last = rows[rows.length - 1];
      if (rows.length < 500 || round4(last.sort_value) <= lowest) break;
      after = { value: last.sort_value, domain: last.domain };
    }
    for (const r of scoreRules) out.set(r.id, new Set(above.filter((a) => a.score > (r.threshold ?? 0) && inSegment(r, a.segment)).map((a) => a.id)));
  }
  return out;
}

/** A new surging / score_above rule starts from the accounts already in its state: they fire only when they enter it again. */
export async function primeStatements(d1: D1Database, rule: AlertRule, now: Date): Promise<D1PreparedStatement[]> {
  const state = (await accountsInState(d1, [rule], now)).get(rule.id) ?? new Set<number>();
  return setActive(d1, [...state].map((account_id) => ({ rule_id: rule.id, account_id, active: 1 as const })));
}

/** Fires the state rules for accounts that entered their state since the last check; answers the firings per rule. */
async function checkStateRules(env: Env, now: Date): Promise<Record<string, number>> {
  const rules = await listRules(env.DB, ["surging", "score_above"]);
  if (rules.length === 0) return {};
  const states = await accountsInState(env.DB, rules, now);
  const nowIso = now.toISOString();
  const statements: D1PreparedStatement[] = [];
  const fired: NewDelivery[] = [];
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    const before = await activeAccountsOf(env.DB, rule.id);
    const { entered, left } = stateChanges(states.get(rule.id) ?? new Set(), new Set(before.map((b) => b.account_id)));
    const cooling = new Set(await coolingOf(env.DB, rule.id, entered, nowIso));
    const fires = entered.filter((a) => !cooling.has(a));
    counts[rule.id] = fires.length;
    const detail = JSON.stringify({ at: nowIso, visitor: null, page: null } satisfies FiringDetail);
    fired.push(...fires.map((account_id): NewDelivery => ({ id: newDeliveryId(), rule_id: rule.id, account_id, kind: rule.kind, detail, created_at: nowIso, until: cooldownUntil(rule, now), active: 1 })));
    statements.push(...setActive(env.DB, [...[...cooling].map((account_id) => ({ rule_id: rule.id, account_id, active: 1 as const })), ...left.map((account_id) => ({ rule_id: rule.id, account_id, active: 0 as const }))]));
  }
  statements.push(...fireStatements(env.DB, fired));
  if (statements.length) await env.DB.batch(statements);
  await enqueueDeliveries(env.ALERTS, fired.map((f) => f.id));
  return counts;
}

/** Of these accounts, those the rule is cooling down for. */
async function coolingOf(d1: D1Database, ruleId: string, accounts: readonly number[], nowIso: string): Promise<number[]> {
  if (accounts.length === 0) return [];
  const rows = await alertAccountsOf(d1, accounts.map((account_id) => ({ rule_id: ruleId, account_id })));
  return rows.filter((r) => r.until !== null && r.until > nowIso).map((r) => r.account_id);
}

export async function runAlertChecks(env: Env, now = new Date()): Promise<Record<string, unknown>> {
  const overdue = await overdueDeliveries(env.DB, new Date(now.getTime() - OVERDUE_MS).toISOString(), SWEEP_LIMIT);
  if (overdue.length) {
    await markRequeued(env.DB, overdue, now.toISOString());
    await enqueueDeliveries(env.ALERTS, overdue);
  }
  const fired = await checkStateRules(env, now);
  const pruned = await pruneDeliveries(env.DB, new Date(now.getTime() - KEEP_DELIVERIES_DAYS * 86_400_000).toISOString());
  return { requeued: overdue.length, fired, pruned };
}
