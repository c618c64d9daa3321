// Alert rules through the API (SPEC §11): create (the signing secret shown once, sealed at rest),
// list with delivery counts, delete, list deliveries, send a test.
import { randomToken } from "../auth/secrets";
import { seal } from "../auth/secret-box";
import type { Env } from "../env";
import { deleteRule, deliveriesOf, deliveryById, deliveryCounts, insertRule, insertTestDelivery, type ListedDelivery, listRules, ruleById } from "../storage/alerts";
import { primeStatements } from "./checks";
import { attemptDelivery, type Send } from "./deliver";
import type { FiringDetail } from "./facts";
import { newDeliveryId } from "./fire";
import { type AlertFormat, type AlertRule, type AlertWhen, DEFAULT_COOLDOWN_HOURS, isEventKind, whenOf } from "./rules";

export interface RuleInput {
  name: string;
  when: AlertWhen;
  url: string;
  format: AlertFormat;
  cooldown_hours?: number;
}

export const ruleView = (r: AlertRule) => ({ id: r.id, name: r.name, when: whenOf(r), url: r.url, format: r.format, cooldown_hours: r.cooldown_hours, created_at: r.created_at });

/**
 * Creates the rule; its secret goes back to the caller once and is kept only sealed. A surging or
 * score_above rule starts from today's state, so accounts already surging (or above) fire only
 * when they enter the state again.
 */
export async function createRule(env: Env, input: RuleInput, hashSecret: string, dashboardOrigin: string, now = new Date()) {
  const rule: AlertRule = {
    id: `alert_${crypto.randomUUID()}`,
    name: input.name,
    kind: input.when.kind,
    segment: input.when.segment?.trim().toLowerCase() || null,
    path: input.when.path ?? null,
    threshold: input.when.threshold ?? null,
    url: input.url,
    format: input.format,
    cooldown_hours: input.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS,
    dashboard_origin: dashboardOrigin,
    created_at: now.toISOString(),
  };
  const secret = randomToken("whsec_", 32);
  const sealed = await seal(hashSecret, `alert:${rule.id}`, secret);
  await insertRule(env.DB, rule, sealed);
  if (!isEventKind(rule.kind)) {
    const prime = await primeStatements(env.DB, rule, now);
    if (prime.length) await env.DB.batch(prime);
  }
  return { ...ruleView(rule), secret };
}

export async function listRuleViews(env: Env) {
  const [rules, counts] = await Promise.all([listRules(env.DB), deliveryCounts(env.DB)]);
  return rules.map((r) => ({ ...ruleView(r), deliveries: counts.get(r.id) ?? { pending: 0, delivered: 0, failed: 0 } }));
}

export const removeRule = (env: Env, id: string) => deleteRule(env.DB, id);

export const deliveryView = (d: ListedDelivery) => ({
  id: d.id,
  status: d.status,
  attempts: d.attempts,
  last_error: d.last_error,
  last_status: d.last_status,
  created_at: d.created_at,
  delivered_at: d.delivered_at,
  next_attempt_at: d.status === "pending" ? d.next_at : null,
  kind: d.kind,
  test: d.test === 1,
  account: d.account_domain,
});

/** The rule's deliveries, newest first; null when there is no such rule. */
export async function ruleDeliveries(env: Env, id: string, limit: number) {
  if (!(await ruleById(env.DB, id))) return null;
  return (await deliveriesOf(env.DB, id, limit)).map(deliveryView);
}

/** Sends a sample now, once, and answers how it went (it is listed with the deliveries as a test); null when there is no such rule. */
export async function sendTest(env: Env, id: string, send: Send, now = new Date()) {
  const rule = await ruleById(env.DB, id);
  if (!rule) return null;
  const deliveryId = newDeliveryId();
  await insertTestDelivery(env.DB, { id: deliveryId, rule_id: id, kind: rule.kind, detail: JSON.stringify({ at: now.toISOString(), visitor: null, page: null } satisfies FiringDetail), created_at: now.toISOString() });
  await attemptDelivery(env, deliveryId, send);
  const row = await deliveryById(env.DB, deliveryId);
  return row ? deliveryView(row) : null;
}
