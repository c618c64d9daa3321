// Page and form rules, fired from the queue consumer (collector/pipeline/consumer.ts). The
// firings' rows (each delivery, pending, and its cooldown claim) go into the batch's one D1
// transaction, so they commit exactly when the events do: a failed batch fires nothing, and a
// retried one finds its events already stored (dedupe) and evaluates nothing again. Only once
// the transaction has committed are the deliveries handed to the delivery queue.
import type { Env } from "../env";
import type { VisitorEvent } from "../pipeline/identity-writer";
import { accountsById, alertAccountsOf, fireStatements, listRules, type NewDelivery } from "../storage/alerts";
import { enqueueDeliveries } from "./deliver";
import { type AlertEvent, cooldownKey, cooldownUntil, eventFirings, matchesEvent } from "./evaluate";
import type { FiringDetail } from "./facts";
import { EVENT_KINDS } from "./rules";

export interface BatchAlerts {
  /** for the batch's transaction */
  statements: D1PreparedStatement[];
  /** after the commit: queue the deliveries (never throws; the hourly sweep sends what did not go) */
  dispatch(): Promise<void>;
}

const NOTHING: BatchAlerts = { statements: [], dispatch: async () => {} };

export const newDeliveryId = () => `dlv_${crypto.randomUUID()}`;

/**
 * `events`: the batch's human events (bots never fire), each with the visitor it counts for;
 * `accountOf`: the account a visitor counts for after this batch's resolution. Only this batch's
 * events are looked at, so a visitor who resolves later never fires for what it did before.
 */
export async function batchAlerts(env: Env, events: readonly VisitorEvent[], accountOf: (visitor: string) => number | null, now: Date): Promise<BatchAlerts> {
  if (!events.some((e) => e.type === "page" || (e.type === "track" && e.event === "form_submit"))) return NOTHING;
  const rules = await listRules(env.DB, EVENT_KINDS);
  if (rules.length === 0) return NOTHING;

  const candidates: AlertEvent[] = events
    .map((e) => ({ type: e.type, event: e.event, path: e.path, url: e.url, timestamp: e.timestamp, visitor: e.visitor, account_id: accountOf(e.visitor) }))
    .filter((e) => e.account_id !== null && rules.some((r) => matchesEvent(r, e)));
  if (candidates.length === 0) return NOTHING;

  const pairs = rules.flatMap((r) => [...new Set(candidates.filter((e) => matchesEvent(r, e)).map((e) => e.account_id!))].map((account_id) => ({ rule_id: r.id, account_id })));
  const [accounts, claims] = await Promise.all([
    rules.some((r) => r.segment !== null) ? accountsById(env.DB, pairs.map((p) => p.account_id)) : Promise.resolve(new Map()),
    alertAccountsOf(env.DB, pairs),
  ]);
  const cooldowns = new Map(claims.filter((c) => c.until !== null).map((c) => [cooldownKey(c.rule_id, c.account_id), c.until!]));
  const firings = eventFirings(rules, candidates, (id) => accounts.get(id)?.segment ?? null, cooldowns, now);
  if (firings.length === 0) return NOTHING;

  const byId = new Map(rules.map((r) => [r.id, r]));
  const rows: NewDelivery[] = firings.map((f) => ({
    id: newDeliveryId(),
    rule_id: f.rule_id,
    account_id: f.account_id,
    kind: f.kind,
    detail: JSON.stringify({ at: f.at, visitor: f.visitor, page: f.page } satisfies FiringDetail),
    created_at: now.toISOString(),
    until: cooldownUntil(byId.get(f.rule_id)!, now),
    active: 0,
  }));
  return { statements: fireStatements(env.DB, rows), dispatch: () => enqueueDeliveries(env.ALERTS, rows.map((r) => r.id)) };
}
