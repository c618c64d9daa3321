// What a batch changes in the per-visitor and per-account day rollups. A human session contributes
// its marks to the days they fall on (and one session to the day it started); a bot session
// contributes nothing. When sessions are re-cut or change verdict, the delta is what they
// contribute now minus what they did before, so the rollups always equal in-order delivery's.
import type { AccountDayDelta, Counters, VisitorDayDelta } from "../storage/rollups";
import { COUNTER_COLUMNS } from "../storage/rollups";
import { decodeMarks, type Mark } from "./marks";
import { campaignHash, MAX_MARKS, type SessionRow } from "./sessionize";

const zero = (): Counters => ({ page_views: 0, high_intent_page_views: 0, form_starts: 0, form_submits: 0, engaged_ms: 0, events: 0, sessions: 0 });

/** One mark's counts (SPEC §6 weights act on these). */
export function addMark(c: Counters, m: Mark, sign: number): void {
  c.events += sign;
  if (m.kind === "page") {
    if (m.high_intent) c.high_intent_page_views += sign;
    else c.page_views += sign;
  } else if (m.kind === "form_start") c.form_starts += sign;
  else if (m.kind === "form_submit") c.form_submits += sign;
  else if (m.kind === "engagement") c.engaged_ms += sign * m.engaged_ms;
}

type DayCounts = Map<string, Counters>;

function bump(days: DayCounts, day: string): Counters {
  let c = days.get(day);
  if (!c) days.set(day, (c = zero()));
  return c;
}

/** A session's counts per UTC day, with `sign` (−1 to take back what it counted before). */
export function sessionDays(s: SessionRow, sign: number, into: DayCounts = new Map()): DayCounts {
  if (s.is_bot) return into;
  const start = Date.parse(s.started_at);
  bump(into, s.started_at.slice(0, 10)).sessions += sign;
  for (const m of decodeMarks(s.marks, start, campaignHash, Date.parse(s.ended_at)).slice(0, MAX_MARKS)) addMark(bump(into, new Date(m.t).toISOString().slice(0, 10)), m, sign);
  return into;
}

export interface VisitorChange {
  anonymous_id: string;
  before: readonly SessionRow[];
  after: readonly SessionRow[];
  /** events outside any session (backend calls carrying only a userId), as marks */
  loose: readonly Mark[];
}

/** Visitor-day and account-day deltas; rows whose counts do not change are left out. */
export function dayDeltas(
  changes: readonly VisitorChange[],
  accountOf: (anonymousId: string) => number | null,
): { visitorDays: VisitorDayDelta[]; accountDays: AccountDayDelta[] } {
  const visitorDays: VisitorDayDelta[] = [];
  const accounts = new Map<string, AccountDayDelta>();
  for (const ch of changes) {
    const days: DayCounts = new Map();
    for (const s of ch.before) sessionDays(s, -1, days);
    for (const s of ch.after) sessionDays(s, 1, days);
    for (const m of ch.loose) addMark(bump(days, new Date(m.t).toISOString().slice(0, 10)), m, 1);
    const account_id = accountOf(ch.anonymous_id);
    for (const [day, c] of days) {
      if (COUNTER_COLUMNS.every((k) => c[k] === 0)) continue;
      visitorDays.push({ anonymous_id: ch.anonymous_id, day, account_id, ...c });
      if (account_id === null) continue;
      const key = `${account_id}\u0000${day}`;
      const a = accounts.get(key) ?? { account_id, day, ...zero() };
      for (const k of COUNTER_COLUMNS) a[k] += c[k];
      accounts.set(key, a);
    }
  }
  return { visitorDays, accountDays: [...accounts.values()] };
}
