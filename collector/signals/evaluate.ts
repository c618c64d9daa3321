// Which page and form rules a batch of events fires (SPEC §11). Pure: the queue consumer hands
// it the batch's human events with the account each visitor counts for after this batch's
// resolution, and the cooldowns in force; it answers one firing per rule and account at most.
import { type AlertRule, FRESH_MS, pathMatches } from "./rules";

/** One event of the batch as the rules see it. Bots never get here: the consumer passes human events only. */
export interface AlertEvent {
  type: string;
  /** track: the event name */
  event: string | null;
  path: string | null;
  url: string | null;
  timestamp: string;
  /** the visitor it counts for (anonymous id, or u:<userId>) */
  visitor: string;
  /** the account the visitor counts for now; null while unresolved (personal mail included) */
  account_id: number | null;
}

export interface Firing {
  rule_id: string;
  account_id: number;
  kind: AlertRule["kind"];
  /** when it happened: the event's time, or the check's */
  at: string;
  /** the visitor whose event fired it (page and form rules) */
  visitor: string | null;
  page: { path: string; url: string | null } | null;
}

export const cooldownKey = (ruleId: string, accountId: number) => `${ruleId}\u0000${accountId}`;

export function matchesEvent(rule: AlertRule, e: AlertEvent): boolean {
  if (rule.kind === "page_view") return e.type === "page" && rule.path !== null && pathMatches(rule.path, e.path ?? "/");
  if (rule.kind === "form_submit") {
    // The tracker's form_submit is a track call of that name; so is a backend's.
    return e.type === "track" && e.event === "form_submit" && (rule.path === null || pathMatches(rule.path, e.path ?? "/"));
  }
  return false;
}

/**
 * The firings of this batch: for each page or form rule and each account, its earliest matching
 * event, unless the account is outside the rule's segment, the rule is cooling down for it
 * (`cooldowns`: rule+account → until, ISO), or the event is stale (older than FRESH_MS).
 */
export function eventFirings(
  rules: readonly AlertRule[],
  events: readonly AlertEvent[],
  segmentOf: (accountId: number) => string | null,
  cooldowns: ReadonlyMap<string, string>,
  now: Date,
): Firing[] {
  const nowIso = now.toISOString();
  const oldest = now.getTime() - FRESH_MS;
  const resolved = events
    .filter((e): e is AlertEvent & { account_id: number } => e.account_id !== null && Date.parse(e.timestamp) >= oldest)
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const out: Firing[] = [];
  const fired = new Set<string>();
  for (const rule of rules) {
    for (const e of resolved) {
      const key = cooldownKey(rule.id, e.account_id);
      if (fired.has(key) || !matchesEvent(rule, e)) continue;
      if (rule.segment !== null && segmentOf(e.account_id) !== rule.segment) continue;
      const until = cooldowns.get(key);
      if (until !== undefined && until > nowIso) continue;
      fired.add(key);
      out.push({ rule_id: rule.id, account_id: e.account_id, kind: rule.kind, at: e.timestamp, visitor: e.visitor, page: e.type === "page" || e.path ? { path: e.path ?? "/", url: e.url } : null });
    }
  }
  return out;
}

/** Until when a rule that fires now stays quiet for that account. */
export const cooldownUntil = (rule: Pick<AlertRule, "cooldown_hours">, now: Date) => new Date(now.getTime() + rule.cooldown_hours * 3_600_000).toISOString();

/** States of surging / score_above rules: which accounts change into the state (fire) and out of it. */
export interface StateChange {
  /** accounts in the state now that were not before: they fire unless cooling down */
  entered: number[];
  /** accounts that were in the state and are no longer */
  left: number[];
}

export function stateChanges(now: ReadonlySet<number>, before: ReadonlySet<number>): StateChange {
  return { entered: [...now].filter((a) => !before.has(a)).sort((a, b) => a - b), left: [...before].filter((a) => !now.has(a)).sort((a, b) => a - b) };
}
