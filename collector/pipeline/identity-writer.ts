// The queue consumer's identity and rollup writer: updates each visitor's evidence (group,
// email → person, ASN), re-resolves the units that changed (retroactively, via stitch), then adds
// the message's activity to the visitor and account day rollups. Everything it returns commits
// in the consumer's one transaction, so a retried message rewrites exactly the same state.
import { stitch } from "../accounts/stitch";
import { isHighIntent } from "../engagement/settings";
import { needsRebase } from "../accounts/scoring";
import { readScoring, rebaseStatements } from "../storage/accounts-settings";
import { identitiesOf, type IdentityRow, peopleOf, type PersonRow } from "../storage/identity";
import {
  type AccountDayDelta,
  addAccountDays,
  addPageDays,
  addVisitorDays,
  COUNTER_COLUMNS,
  insertMoments,
  type Moment,
  type PageDayDelta,
  type VisitorDayDelta,
} from "../storage/rollups";
import { refreshRunningSums } from "../storage/rollups-running";
import type { SessionizedEvent } from "./sessionize";
import type { PipelineOutput } from "./writers";

const FORM_EVENTS = new Set(["form_start", "form_submit", "form_abandon"]);
/** One engagement report covers at most one page's visible time; more is a broken client. */
const MAX_ENGAGED_MS = 30 * 60_000;

export async function identityWriter(d1: D1Database, out: PipelineOutput): Promise<D1PreparedStatement[]> {
  // Bots are kept in the event log but never counted as visitors (SPEC §3).
  const bots = new Set(out.visitors.filter((v) => v.is_bot).map((v) => v.anonymous_id));
  const events = out.events
    .filter((e): e is SessionizedEvent & { anonymous_id: string } => e.anonymous_id !== null && !e.is_bot && !bots.has(e.anonymous_id))
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  if (events.length === 0) return [];

  const anonymousIds = [...new Set(events.map((e) => e.anonymous_id))];
  const hashes = [...new Set(events.map((e) => e.email_hash).filter((h): h is string => h !== null))];
  const [stored, storedPeople, scoring] = await Promise.all([identitiesOf(d1, anonymousIds), peopleOf(d1, hashes), readScoring(d1)]);
  const settings = scoring.settings;
  const identities = new Map(stored.map((r) => [r.anonymous_id, r]));
  const people = new Map(storedPeople.map((p) => [p.id, p]));
  const touchedPeople = new Map<string, PersonRow>();
  const dirty = new Set<string>();
  const dirtyPeople = new Set<string>();

  for (const e of events) {
    const before = identities.get(e.anonymous_id);
    const row: IdentityRow = before
      ? { ...before }
      : { anonymous_id: e.anonymous_id, site_id: e.site_id, person_id: null, account_id: null, method: null, confidence: null, resolved_at: null, group_id: null, group_at: null, asn: null, as_org: null, first_seen: e.timestamp, last_seen: e.timestamp };
    if (!before) dirty.add(row.anonymous_id);
    row.first_seen = row.first_seen < e.timestamp ? row.first_seen : e.timestamp;
    row.last_seen = row.last_seen > e.timestamp ? row.last_seen : e.timestamp;
    if (e.group_id && (row.group_at === null || e.timestamp >= row.group_at)) {
      if (row.group_id !== e.group_id) dirty.add(row.anonymous_id);
      row.group_id = e.group_id;
      row.group_at = e.timestamp;
    }
    if (e.asn !== null && (e.asn !== row.asn || e.as_org !== row.as_org)) {
      row.asn = e.asn;
      row.as_org = e.as_org;
      dirty.add(row.anonymous_id);
    }
    if (e.email_hash) {
      if (row.person_id !== e.email_hash) {
        if (row.person_id) dirtyPeople.add(row.person_id);
        row.person_id = e.email_hash;
        dirty.add(row.anonymous_id);
      }
      const p = touchedPeople.get(e.email_hash) ?? people.get(e.email_hash);
      touchedPeople.set(e.email_hash, {
        id: e.email_hash,
        email_domain: e.email_domain ?? p?.email_domain ?? null,
        first_seen: p && p.first_seen < e.timestamp ? p.first_seen : e.timestamp,
        last_seen: p && p.last_seen > e.timestamp ? p.last_seen : e.timestamp,
      });
    }
    identities.set(row.anonymous_id, row);
  }

  const now = new Date().toISOString();
  const stitched = await stitch(d1, { identities, people: touchedPeople, dirty, dirtyPeople, now });
  const accountOf = (anon: string) => stitched.identities.get(anon)?.account_id ?? null;
  const { visitorDays, accountDays, pageDays, moments } = rollup(events, accountOf, (path) => isHighIntent(path, settings));
  const touched = [...stitched.touched, ...accountDays.map((a) => ({ account_id: a.account_id, from: a.day }))];
  const today = now.slice(0, 10);
  return [
    ...stitched.statements,
    ...addVisitorDays(d1, visitorDays),
    ...addAccountDays(d1, accountDays),
    ...addPageDays(d1, pageDays),
    ...insertMoments(d1, moments),
    ...refreshRunningSums(d1, touched),
    // Every ~900 half-lives the scaled weights approach a double's range: move the epoch.
    ...(needsRebase(today, scoring) ? rebaseStatements(d1, Math.floor(Date.parse(today) / 86_400_000), now) : []),
  ];
}

/** The message's activity per visitor-day, account-day and page, and its timeline moments. */
export function rollup(
  events: readonly (SessionizedEvent & { anonymous_id: string })[],
  accountOf: (anonymousId: string) => number | null,
  highIntent: (path: string) => boolean,
): { visitorDays: VisitorDayDelta[]; accountDays: AccountDayDelta[]; pageDays: PageDayDelta[]; moments: Moment[] } {
  const visitorDays = new Map<string, VisitorDayDelta>();
  const pageDays = new Map<string, PageDayDelta>();
  const moments: Moment[] = [];
  for (const e of events) {
    const day = e.timestamp.slice(0, 10);
    const account_id = accountOf(e.anonymous_id);
    const key = `${e.anonymous_id}\u0000${day}`;
    const v = visitorDays.get(key) ?? {
      anonymous_id: e.anonymous_id, day, account_id, page_views: 0, high_intent_page_views: 0, form_starts: 0,
      form_submits: 0, engaged_ms: 0, events: 0, sessions: 0, first_at: e.timestamp, last_at: e.timestamp,
    };
    v.events += 1;
    v.last_at = e.timestamp;
    // sessionize names a session after its first event: this event opened it.
    if (e.session_id === `s_${e.message_id}`) v.sessions += 1;
    if (e.type === "page") {
      const path = e.path ?? "/";
      if (highIntent(path)) v.high_intent_page_views += 1;
      else v.page_views += 1;
      const pk = `${key}\u0000${path}`;
      const p = pageDays.get(pk) ?? { anonymous_id: e.anonymous_id, day, path, account_id, views: 0 };
      p.views += 1;
      pageDays.set(pk, p);
    } else if (e.type === "track" && e.event === "form_start") v.form_starts += 1;
    else if (e.type === "track" && e.event === "form_submit") v.form_submits += 1;
    else if (e.type === "track" && e.event === "engagement") v.engaged_ms += engagedMs(e.properties);
    visitorDays.set(key, v);

    const moment = momentOf(e);
    if (moment) moments.push(moment);
  }

  const accountDays = new Map<string, AccountDayDelta>();
  for (const v of visitorDays.values()) {
    if (v.account_id === null) continue;
    const key = `${v.account_id}\u0000${v.day}`;
    const a = accountDays.get(key) ?? { account_id: v.account_id, day: v.day, page_views: 0, high_intent_page_views: 0, form_starts: 0, form_submits: 0, engaged_ms: 0, events: 0, sessions: 0 };
    for (const c of COUNTER_COLUMNS) a[c] += v[c];
    accountDays.set(key, a);
  }
  return { visitorDays: [...visitorDays.values()], accountDays: [...accountDays.values()], pageDays: [...pageDays.values()], moments };
}

function engagedMs(properties: string): number {
  try {
    const ms = (JSON.parse(properties) as { engaged_ms?: unknown }).engaged_ms;
    return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.round(Math.min(ms, MAX_ENGAGED_MS)) : 0;
  } catch {
    return 0;
  }
}

function momentOf(e: SessionizedEvent & { anonymous_id: string }): Moment | null {
  const base = { message_id: e.message_id, anonymous_id: e.anonymous_id, at: e.timestamp };
  if (e.type === "identify") {
    return { ...base, kind: "identify", detail: JSON.stringify({ person_id: e.email_hash, email_domain: e.email_domain, user_id: e.user_id, path: e.path }) };
  }
  if (e.type === "group") return { ...base, kind: "group", detail: JSON.stringify({ group_id: e.group_id }) };
  if (e.type === "track" && e.event !== null && FORM_EVENTS.has(e.event)) {
    let props: Record<string, unknown> = {};
    try {
      props = JSON.parse(e.properties) as Record<string, unknown>;
    } catch {
      // a form event without readable properties still happened
    }
    const form = typeof props.form === "string" ? props.form : typeof props.form_id === "string" ? props.form_id : null;
    const fields = Array.isArray(props.fields) ? props.fields.filter((f): f is string => typeof f === "string").slice(0, 50) : [];
    return { ...base, kind: e.event as Moment["kind"], detail: JSON.stringify({ form, fields, path: e.path }) };
  }
  return null;
}
