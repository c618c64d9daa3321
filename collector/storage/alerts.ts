// Alert rules, their per-account cooldown and state, and deliveries (schema/alerts.ts). Writes
// that must commit with something else are returned as statements for the caller's batch.
import type { AlertFormat, AlertKind, AlertRule } from "../signals/rules";
import { jsonChunks } from "./db";
import { COUNTER_COLUMNS, type Counters } from "./rollups";

const RULE_COLUMNS = "id, name, kind, segment, path, threshold, url, format, cooldown_hours, dashboard_origin, created_at";

export async function insertRule(d1: D1Database, rule: AlertRule, sealedSecret: string): Promise<void> {
  await d1
    .prepare(`INSERT INTO alert_rules (${RULE_COLUMNS}, secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`)
    .bind(rule.id, rule.name, rule.kind, rule.segment, rule.path, rule.threshold, rule.url, rule.format, rule.cooldown_hours, rule.dashboard_origin, rule.created_at, sealedSecret)
    .run();
}

export async function listRules(d1: D1Database, kinds?: readonly AlertKind[]): Promise<AlertRule[]> {
  const { results } = await d1
    .prepare(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE ?1 IS NULL OR kind IN (SELECT value FROM json_each(?1)) ORDER BY created_at, id`)
    .bind(kinds ? JSON.stringify(kinds) : null)
    .all<AlertRule>();
  return results;
}

export function ruleById(d1: D1Database, id: string): Promise<AlertRule | null> {
  return d1.prepare(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = ?1`).bind(id).first<AlertRule>();
}

/** Deletes a rule with its deliveries and per-account rows; false when there is no such rule. Queued messages for it find nothing and are dropped. */
export async function deleteRule(d1: D1Database, id: string): Promise<boolean> {
  const [, , rule] = await d1.batch([
    d1.prepare("DELETE FROM alert_deliveries WHERE rule_id = ?1").bind(id),
    d1.prepare("DELETE FROM alert_accounts WHERE rule_id = ?1").bind(id),
    d1.prepare("DELETE FROM alert_rules WHERE id = ?1").bind(id),
  ]);
  return (rule.meta.changes ?? 0) > 0;
}

export interface DeliveryCounts {
  pending: number;
  delivered: number;
  failed: number;
}

export async function deliveryCounts(d1: D1Database): Promise<Map<string, DeliveryCounts>> {
  const { results } = await d1
    .prepare(
      `SELECT rule_id, sum(status = 'pending') AS pending, sum(status = 'delivered') AS delivered, sum(status = 'failed') AS failed
       FROM alert_deliveries GROUP BY rule_id`,
    )
    .all<DeliveryCounts & { rule_id: string }>();
  return new Map(results.map(({ rule_id, ...counts }) => [rule_id, counts]));
}

export interface AccountBrief {
  id: number;
  domain: string;
  name: string | null;
  segment: string | null;
}

export async function accountsById(d1: D1Database, ids: readonly number[]): Promise<Map<number, AccountBrief>> {
  const out = new Map<number, AccountBrief>();
  for (const chunk of jsonChunks([...new Set(ids)])) {
    const { results } = await d1.prepare("SELECT id, domain, name, segment FROM accounts WHERE id IN (SELECT value FROM json_each(?1))").bind(chunk).all<AccountBrief>();
    for (const r of results) out.set(r.id, r);
  }
  return out;
}

export interface AlertAccountRow {
  rule_id: string;
  account_id: number;
  until: string | null;
  active: number;
}

/** The per-account rows of these (rule, account) pairs. */
export async function alertAccountsOf(d1: D1Database, pairs: readonly { rule_id: string; account_id: number }[]): Promise<AlertAccountRow[]> {
  const out: AlertAccountRow[] = [];
  for (const chunk of jsonChunks([...pairs])) {
    const { results } = await d1
      .prepare(
        `SELECT a.rule_id, a.account_id, a.until, a.active FROM json_each(?1) j
         JOIN alert_accounts a ON a.rule_id = j.value ->> 'rule_id' AND a.account_id = j.value ->> 'account_id'`,
      )
      .bind(chunk)
      .all<AlertAccountRow>();
    out.push(...results);
  }
  return out;
}

/** Accounts a surging / score_above rule holds as in its state now. */
export async function activeAccountsOf(d1: D1Database, ruleId: string): Promise<AlertAccountRow[]> {
  const { results } = await d1.prepare("SELECT rule_id, account_id, until, active FROM alert_accounts WHERE rule_id = ?1 AND active = 1").bind(ruleId).all<AlertAccountRow>();
  return results;
}

/** A delivery to create, with the cooldown it claims. */
export interface NewDelivery {
  id: string;
  rule_id: string;
  account_id: number;
  kind: AlertKind;
  /** JSON */
  detail: string;
  created_at: string;
  /** cooldown end */
  until: string;
  /** surging / score_above: the account is now in the state */
  active: 0 | 1;
}

/**
 * Claims each (rule, account) cooldown and creates the delivery, in the caller's transaction.
 * The claim only takes where no cooldown is running (a concurrent writer's claim wins), and the
 * delivery row only appears when its own claim took and the rule still exists: a lost race or a
 * deleted rule leaves no delivery, and the queue message sent for it is dropped.
 */
export function fireStatements(d1: D1Database, rows: readonly NewDelivery[]): D1PreparedStatement[] {
  return jsonChunks([...rows]).flatMap((chunk) => [
    d1
      .prepare(
        `INSERT INTO alert_accounts (rule_id, account_id, fired_at, until, delivery_id, active)
         SELECT value ->> 'rule_id', value ->> 'account_id', value ->> 'created_at', value ->> 'until', value ->> 'id', value ->> 'active'
         FROM json_each(?1) WHERE true
         ON CONFLICT (rule_id, account_id) DO UPDATE SET fired_at = excluded.fired_at, until = excluded.until, delivery_id = excluded.delivery_id, active = excluded.active
         WHERE alert_accounts.until IS NULL OR alert_accounts.until <= excluded.fired_at`,
      )
      .bind(chunk),
    d1
      .prepare(
        `INSERT INTO alert_deliveries (id, rule_id, account_id, kind, status, attempts, detail, created_at, next_at)
         SELECT j.value ->> 'id', j.value ->> 'rule_id', j.value ->> 'account_id', j.value ->> 'kind', 'pending', 0,
                j.value ->> 'detail', j.value ->> 'created_at', j.value ->> 'created_at'
         FROM json_each(?1) j
         WHERE EXISTS (SELECT 1 FROM alert_accounts a WHERE a.rule_id = j.value ->> 'rule_id' AND a.account_id = j.value ->> 'account_id' AND a.delivery_id = j.value ->> 'id')
           AND EXISTS (SELECT 1 FROM alert_rules r WHERE r.id = j.value ->> 'rule_id')`,
      )
      .bind(chunk),
  ]);
}

/** Marks accounts in or out of a surging / score_above state without firing (cooling down, left it, or a new rule's starting point). */
export function setActive(d1: D1Database, rows: readonly { rule_id: string; account_id: number; active: 0 | 1 }[]): D1PreparedStatement[] {
  return jsonChunks([...rows]).map((chunk) =>
    d1
      .prepare(
        `INSERT INTO alert_accounts (rule_id, account_id, active)
         SELECT value ->> 'rule_id', value ->> 'account_id', value ->> 'active' FROM json_each(?1) WHERE true
         ON CONFLICT (rule_id, account_id) DO UPDATE SET active = excluded.active`,
      )
      .bind(chunk),
  );
}

export interface DeliveryRow {
  id: string;
  rule_id: string;
  account_id: number | null;
  kind: AlertKind;
  test: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  detail: string;
  body: string | null;
  created_at: string;
  first_attempt_at: string | null;
  next_at: string | null;
  delivered_at: string | null;
}

/** A delivery with what sending it needs from its rule (the sealed secret included). */
export interface DeliveryJob extends DeliveryRow {
  rule: { name: string; kind: AlertKind; path: string | null; threshold: number | null; url: string; format: AlertFormat; secret: string; dashboard_origin: string };
}

export async function deliveryJob(d1: D1Database, id: string): Promise<DeliveryJob | null> {
  const row = await d1
    .prepare(
      `SELECT d.*, r.name AS r_name, r.kind AS r_kind, r.path AS r_path, r.threshold AS r_threshold, r.url AS r_url, r.format AS r_format,
              r.secret AS r_secret, r.dashboard_origin AS r_origin
       FROM alert_deliveries d JOIN alert_rules r ON r.id = d.rule_id WHERE d.id = ?1`,
    )
    .bind(id)
    .first<DeliveryRow & Record<`r_${string}`, never>>();
  if (!row) return null;
  const r = row as unknown as Record<string, unknown>;
  const { r_name, r_kind, r_path, r_threshold, r_url, r_format, r_secret, r_origin, ...delivery } = r;
  return {
    ...(delivery as unknown as DeliveryRow),
    rule: {
      name: r_name as string, kind: r_kind as AlertKind, path: r_path as string | null, threshold: r_threshold as number | null,
      url: r_url as string, format: r_format as AlertFormat, secret: r_secret as string, dashboard_origin: r_origin as string,
    },
  };
}

/** Keeps the first body built for a delivery (two attempts racing keep one) and answers the kept one. */
export async function keepBody(d1: D1Database, id: string, body: string): Promise<string> {
  const [, kept] = await d1.batch<{ body: string }>([
    d1.prepare("UPDATE alert_deliveries SET body = ?2 WHERE id = ?1 AND body IS NULL").bind(id, body),
    d1.prepare("SELECT body FROM alert_deliveries WHERE id = ?1").bind(id),
  ]);
  return kept.results[0]?.body ?? body;
}

export interface AttemptOutcome {
  at: string;
  ok: boolean;
  http_status: number | null;
  error: string | null;
  /** still pending: when the next attempt is due; null when delivered or given up */
  next_at: string | null;
}

/** Records one attempt: delivered, failed for good, or pending until `next_at`. Only a pending delivery changes. */
export async function recordAttempt(d1: D1Database, id: string, o: AttemptOutcome): Promise<void> {
  const status = o.ok ? "delivered" : o.next_at === null ? "failed" : "pending";
  await d1
    .prepare(
      `UPDATE alert_deliveries SET attempts = attempts + 1, status = ?2, last_status = ?3,
         last_error = coalesce(?4, last_error), first_attempt_at = coalesce(first_attempt_at, ?5), next_at = ?6,
         delivered_at = CASE WHEN ?2 = 'delivered' THEN ?5 ELSE delivered_at END
       WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(id, status, o.http_status, o.error, o.at, o.next_at)
    .run();
}

/** A sample delivery (POST /v1/alerts/:id/test): no account, no cooldown. */
export async function insertTestDelivery(d1: D1Database, row: { id: string; rule_id: string; kind: AlertKind; detail: string; created_at: string }): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO alert_deliveries (id, rule_id, account_id, kind, test, status, attempts, detail, created_at, next_at)
       VALUES (?1, ?2, NULL, ?3, 1, 'pending', 0, ?4, ?5, ?5)`,
    )
    .bind(row.id, row.rule_id, row.kind, row.detail, row.created_at)
    .run();
}

export type ListedDelivery = DeliveryRow & { account_domain: string | null };

const LISTED = "SELECT d.*, a.domain AS account_domain FROM alert_deliveries d LEFT JOIN accounts a ON a.id = d.account_id";

export async function deliveriesOf(d1: D1Database, ruleId: string, limit: number): Promise<ListedDelivery[]> {
  const { results } = await d1.prepare(`${LISTED} WHERE d.rule_id = ?1 ORDER BY d.created_at DESC, d.id DESC LIMIT ?2`).bind(ruleId, limit).all<ListedDelivery>();
  return results;
}

export function deliveryById(d1: D1Database, id: string): Promise<ListedDelivery | null> {
  return d1.prepare(`${LISTED} WHERE d.id = ?1`).bind(id).first<ListedDelivery>();
}

/** Pending deliveries whose attempt is overdue by `graceMs`: their queue message never arrived (or was lost). */
export async function overdueDeliveries(d1: D1Database, before: string, limit: number): Promise<string[]> {
  const { results } = await d1
    .prepare("SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_at < ?1 ORDER BY next_at LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function markRequeued(d1: D1Database, ids: readonly string[], at: string): Promise<void> {
  for (const chunk of jsonChunks([...ids])) {
    await d1.prepare("UPDATE alert_deliveries SET next_at = ?2 WHERE id IN (SELECT value FROM json_each(?1)) AND status = 'pending'").bind(chunk, at).run();
  }
}

/** Drops finished deliveries created before `before` (D1 stays bounded); pending ones stay. */
export async function pruneDeliveries(d1: D1Database, before: string): Promise<number> {
  const r = await d1.prepare("DELETE FROM alert_deliveries WHERE status != 'pending' AND created_at < ?1").bind(before).run();
  return r.meta.changes ?? 0;
}

export interface WeekCounters extends Counters {
  account_id: number;
  segment: string | null;
  /** 0: the 7 days ending asOf, 1: the 7 before, … 3 */
  week: number;
}

/**
 * Every account's activity in the four weeks ending `asOf`, summed per week (surge's input),
 * for accounts with an event in the last of them. Seeks account_days by its key per account.
 */
export async function weeklyCounters(d1: D1Database, asOf: string): Promise<WeekCounters[]> {
  const sums = COUNTER_COLUMNS.map((c) => `sum(ad.${c}) AS ${c}`).join(", ");
  const { results } = await d1
    .prepare(
      `SELECT ad.account_id, a.segment, CAST((julianday(?1) - julianday(ad.day)) / 7 AS INTEGER) AS week, ${sums}
       FROM accounts a JOIN account_days ad ON ad.account_id = a.id AND ad.day BETWEEN date(?1, '-27 days') AND ?1
       WHERE EXISTS (SELECT 1 FROM account_days w WHERE w.account_id = a.id AND w.day BETWEEN date(?1, '-6 days') AND ?1 AND w.events > 0)
       GROUP BY ad.account_id, week`,
    )
    .bind(asOf)
    .all<WeekCounters>();
  return results;
}
