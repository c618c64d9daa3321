import { needsRebase } from "../accounts/scoring";
import { utf8Bytes } from "../bytes";
import { isHighIntent } from "../engagement/settings";
import type { Env } from "../env";
import { decodeBody, type EnrichedEvent, type QueueMessageBody, type QueuedBody, type RejectedEvent } from "../events";
import { archiveKey, ledgerInserts, listedKeys, putArchiveObject, type LedgerRow, type Stream } from "../storage/archive";
import { rebaseStatements, readScoring } from "../storage/accounts-settings";
import { parkDeadLetter } from "../storage/dead-letters";
import { dayNumber, dedupeKey, insertDedupeKeys, seenKeys } from "../storage/dedupe";
import { guardIdentityEpoch, readIdentityEpoch } from "../storage/identity-epoch";
import { legacySeen, moveLegacyChunk } from "../storage/legacy";
import { dropSuppressed } from "../privacy/suppression";
import { countedD1, QueryBudget } from "../storage/query-budget";
import { readRetention } from "../storage/retention";
import { addAccountDays, addVisitorDays, insertMoments } from "../storage/rollups";
import { refreshRunningSums } from "../storage/rollups-running";
import { batchAlerts } from "../signals/fire";
import { readSequences, writeSequences } from "../storage/sequences";
import { pathIds, type SessionKey, sessionsNear, writeSessions } from "../storage/sessions";
import { dayDeltas, type VisitorChange } from "./day-rollups";
import { resolveIdentities, userVisitor, type VisitorEvent } from "./identity-writer";
import { markOf } from "./marks";
import { momentOf } from "./moments";
import { type PendingEvent, pendingEvent, recut, SESSION_GAP_MS, type SessionRow } from "./sessionize";

/**
 * Queue messages, start to end: suppress (erased people) → dedupe → sessionize → resolve → archive
 * to R2 → one D1 transaction.
 *
 * Exactly once: an event counts when its dedupe key commits, and the key commits in the same
 * transaction as everything the event changes (sessions, identities, rollups) and as the ledger row
 * that lists the R2 object holding it. Events whose key is already stored are dropped before
 * anything is computed. The batch's reads are guarded by the identity epoch, so a concurrent
 * writer (another consumer, an import, a dead-letter replay) makes this one fail and retry instead
 * of committing decisions made on stale state. The R2 objects are written before the commit, at
 * keys derived from the seqs the batch was given; a retry is given the same seqs and rewrites the
 * same keys. `written` collects the keys, so a caller whose attempt failed can drop the ones the
 * ledger does not list.
 */
export async function processMessages(env: Env, bodies: QueueMessageBody[], written: { stream: Stream; first_seq: number; key: string }[] = []): Promise<{ stored: number; duplicates: number; suppressed: number }> {
  const d1 = env.DB;
  const now = new Date();
  const nowIso = now.toISOString();
  // An upgraded database moves its first-version event rows to R2 a chunk at a time.
  await moveLegacyChunk(env);

  // An id sent twice is one event (the first copy).
  const unique = new Map<string, EnrichedEvent>();
  for (const e of bodies.flatMap((b) => b.events)) if (!unique.has(e.message_id)) unique.set(e.message_id, e);
  const [epoch, seqs, retention, scoring] = await Promise.all([readIdentityEpoch(d1), readSequences(d1), readRetention(d1), readScoring(d1)]);
  // An erased person's later events and rejects go before dedupe and the archive. Read after the
  // epoch: an erasure committed since then fails this batch's guard (privacy/suppression.ts).
  const suppression = await dropSuppressed(d1, env.HASH_SECRET, [...unique.values()], bodies.flatMap((b) => b.rejects), nowIso);
  const firsts = suppression.events;
  const keys = await Promise.all(firsts.map((e) => dedupeKey(e.message_id)));
  const today = dayNumber(now.getTime());
  const [seen, seenLegacy] = await Promise.all([seenKeys(d1, keys, today, retention.dedupe_days), legacySeen(d1, firsts.map((e) => e.message_id))]);
  const fresh = firsts.filter((e, i) => !seen.has(keys[i]) && !seenLegacy.has(e.message_id));
  const freshKeys = keys.filter((k, i) => !seen.has(k) && !seenLegacy.has(firsts[i].message_id));

  // Marks: what each session keeps of its events.
  const ids = await pathIds(d1, fresh.filter((e) => e.type === "page").map((e) => e.path ?? "/"));
  const pending = new Map<string, PendingEvent[]>();
  const loose: EnrichedEvent[] = [];
  for (const e of fresh) {
    if (e.anonymous_id === null) {
      loose.push(e);
      continue;
    }
    const path = e.path ?? "/";
    const list = pending.get(e.anonymous_id) ?? [];
    list.push(pendingEvent(e as EnrichedEvent & { anonymous_id: string }, ids.get(path) ?? null, isHighIntent(path, scoring.settings)));
    pending.set(e.anonymous_id, list);
  }

  // Sessions by time: each visitor's stored sessions within 30 minutes of its new events, re-cut.
  const near = [...pending].map(([anonymous_id, list]) => {
    const times = list.map((p) => p.mark.t);
    return { anonymous_id, from: new Date(Math.min(...times) - SESSION_GAP_MS).toISOString(), to: new Date(Math.max(...times) + SESSION_GAP_MS).toISOString() };
  });
  const stored = groupBy(await sessionsNear(d1, near), (s) => s.anonymous_id);
  let nextSession = seqs.session + 1;
  const upserts: SessionRow[] = [];
  const deletes: SessionKey[] = [];
  const changes: VisitorChange[] = [];
  const sessionOf = new Map<string, SessionRow>();
  for (const [anon, list] of pending) {
    const before = stored.get(anon) ?? [];
    const cut = recut(before, list, nextSession);
    nextSession = cut.nextId;
    upserts.push(...cut.upserts);
    deletes.push(...cut.deletes.map((id) => ({ anonymous_id: anon, id })));
    // A visit going on adds only its new marks; anything else is counted again from both sides.
    changes.push(cut.appended ? { anonymous_id: anon, before: [], after: [], loose: cut.appended } : { anonymous_id: anon, before, after: cut.after, loose: [] });
    const byId = new Map(cut.after.map((s) => [s.id, s]));
    for (const a of cut.assigned) sessionOf.set(a.message_id, byId.get(a.session_id)!);
  }

  // Identity and counts come from people: events of human sessions, and backend calls that carry
  // only a userId (they count for that user's person, SPEC §3) unless their user agent says bot.
  const human: VisitorEvent[] = [];
  for (const e of fresh) {
    if (e.anonymous_id !== null) {
      if (!sessionOf.get(e.message_id)!.is_bot) human.push({ ...e, visitor: e.anonymous_id });
    } else if (e.user_id !== null && !e.is_bot) human.push({ ...e, visitor: userVisitor(e.user_id) });
  }
  const looseByVisitor = groupBy(
    human.filter((e) => e.anonymous_id === null),
    (e) => e.visitor,
  );
  for (const [visitor, list] of looseByVisitor) {
    changes.push({
      anonymous_id: visitor, before: [], after: [],
      loose: list.map((e) => markOf({ type: e.type, event: e.event, timestamp: e.timestamp, properties: e.properties, bot_reason: null, hosting_network: false, campaign: null, page: null, high_intent: false })),
    });
  }
  const identity = await resolveIdentities(d1, human, nowIso);
  const { visitorDays, accountDays } = dayDeltas(changes, identity.accountOf);
  const moments = human.map((e) => momentOf(e, e.visitor)).filter((m) => m !== null);
  // Page and form alert rules: their rows commit with the batch, their queue messages go after it.
  const alerts = await batchAlerts(env, human, identity.accountOf, now);

  // The archive: one object per receive date for the events, one for the rejects, each line with its seq.
  const ledger: LedgerRow[] = [];
  const after = { ...seqs, session: nextSession - 1 };
  const atSec = Math.floor(now.getTime() / 1000);
  const archive = async <R extends { received_at: string }>(stream: Stream, rows: R[], line: (r: R, seq: number) => object, ts: (r: R) => string) => {
    for (const [dt, day] of groupBy(rows, (r) => r.received_at.slice(0, 10))) {
      const first = after[stream] + 1;
      after[stream] += day.length;
      const key = archiveKey(stream, dt, first);
      written.push({ stream, first_seq: first, key });
      await putArchiveObject(env.ARCHIVE, key, day.map((r, i) => JSON.stringify(line(r, first + i))));
      ledger.push({ stream, first_seq: first, last_seq: after[stream], dt, rows: day.length, max_ts: Math.floor(Math.max(...day.map((r) => Date.parse(ts(r)))) / 1000), at: atSec });
    }
  };
  await archive("raw", fresh, (e, seq) => archivedLine(e, sessionOf.get(e.message_id), seq), (e) => e.timestamp);
  const rejects: RejectedEvent[] = suppression.rejects;
  await archive("rejects", rejects, (r, seq) => ({ ...r, seq }), (r) => r.received_at);

  const touched = [...identity.touched, ...accountDays.map((a) => ({ account_id: a.account_id, from: a.day }))];
  const statements = [
    // Fails the batch if anyone else committed identity, sessions or seqs since the reads above (it is retried).
    ...guardIdentityEpoch(d1, epoch, nowIso),
    ...writeSequences(d1, seqs, after, nowIso),
    ...ledgerInserts(d1, ledger),
    ...insertDedupeKeys(d1, today, freshKeys),
    ...writeSessions(d1, upserts, deletes),
    ...identity.statements,
    ...addVisitorDays(d1, visitorDays),
    ...addAccountDays(d1, accountDays),
    ...insertMoments(d1, moments),
    ...refreshRunningSums(d1, touched),
    ...suppression.statements,
    // Every ~900 half-lives the scaled weights approach a double's range: move the epoch.
    ...(needsRebase(nowIso.slice(0, 10), scoring) ? rebaseStatements(d1, today, nowIso) : []),
    ...alerts.statements,
  ];
  await d1.batch(statements);
  await alerts.dispatch();
  const sent = bodies.reduce((n, b) => n + b.events.length, 0);
  const suppressed = unique.size - firsts.length;
  return { stored: fresh.length, duplicates: sent - fresh.length - suppressed, suppressed };
}

/** The event as the archive keeps it: the session it belongs to and its seq; queue-only fields dropped. */
function archivedLine(e: EnrichedEvent, session: SessionRow | undefined, seq: number): object {
  const { legacy_email_hash: _legacy, ...rest } = e;
  return { ...rest, session_id: session ? String(session.id) : null, seq };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Retry delay grows with each attempt: 2, 4, 8, 16, 32 s. */
export const backoff = (attempts: number) => Math.min(2 ** attempts, 60);

/** A group of messages processed as one unit stays well under D1's per-batch request size. */
const GROUP_BYTES = 1_000_000;
/**
 * D1 queries one attempt may need at most: about 12 reads (epoch, seqs, retention, scoring, dedupe,
 * paths, sessions, identities, people, stitch lookups) plus the transaction's statements, chunked
 * at 90 KB of JSON each (about 25 for a full group). An attempt starts only with this much left.
 */
const QUERIES_PER_ATTEMPT = 80;

interface Delivered {
  msg: Message<QueuedBody>;
  body: QueueMessageBody;
}

function groups(messages: readonly Message<QueuedBody>[]): Delivered[][] {
  const out: Delivered[][] = [];
  let current: Delivered[] = [];
  let bytes = 0;
  for (const msg of messages) {
    const size = utf8Bytes(typeof msg.body === "string" ? msg.body : JSON.stringify(msg.body));
    if (current.length && bytes + size > GROUP_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ msg, body: decodeBody(msg.body) });
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Messages are processed together — one dedupe read, one R2 object per date, one D1 transaction —
 * because the cost is per operation, not per event. If a group fails it is split in halves and
 * each half tried again, so one bad message ends up retried alone after about 2·log2(n) attempts
 * while the others go through. Sessions are cut by time, so the order of messages never matters.
 * Every attempt is counted against D1's per-invocation query limit; messages that no longer fit
 * are retried rather than started.
 */
export async function consumeEvents(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
  const budget = new QueryBudget();
  const counted: Env = { ...env, DB: countedD1(env.DB, budget) };
  for (const group of groups(batch.messages)) await settle(counted, budget, group);
}

async function settle(env: Env, budget: QueryBudget, group: Delivered[]): Promise<void> {
  if (budget.remaining < QUERIES_PER_ATTEMPT) {
    for (const { msg } of group) msg.retry({ delaySeconds: 1 });
    return;
  }
  const written: { stream: Stream; first_seq: number; key: string }[] = [];
  try {
    await processMessages(env, group.map((d) => d.body), written);
    for (const { msg } of group) msg.ack();
    return;
  } catch (err) {
    console.error(`pipeline: ${group.length} message(s) failed`, err instanceof Error ? err.message : String(err));
    await discardUnlisted(env, written);
  }
  if (group.length === 1) {
    group[0].msg.retry({ delaySeconds: backoff(group[0].msg.attempts) });
    return;
  }
  const half = Math.ceil(group.length / 2);
  await settle(env, budget, group.slice(0, half));
  await settle(env, budget, group.slice(half));
}

/**
 * Drops the objects a failed attempt wrote, unless the ledger lists them: then its commit went
 * through after all and they hold committed events. If D1 cannot answer, they stay, unlisted, and
 * the retention job deletes them later: an unlisted object is never read.
 */
async function discardUnlisted(env: Env, written: { stream: Stream; first_seq: number; key: string }[]): Promise<void> {
  if (written.length === 0) return;
  try {
    const listed = await listedKeys(env.DB, written);
    const orphans = written.map((w) => w.key).filter((k) => !listed.has(k));
    if (orphans.length) await env.ARCHIVE.delete(orphans);
  } catch (err) {
    console.error("pipeline: could not check the ledger; unlisted objects are left for the retention job", err instanceof Error ? err.message : String(err));
  }
}

/**
 * Messages past their retries arrive here and are parked in R2 (SPEC §12), so parking works while
 * D1 is down or full. If R2 fails too, each message is retried a minute later, for up to 100 tries
 * (wrangler.toml).
 */
export async function consumeDeadLetters(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    try {
      await parkDeadLetter(env.ARCHIVE, msg.id, msg.attempts, decodeBody(msg.body));
      msg.ack();
    } catch (err) {
      console.error("dead letters: could not park, will retry", msg.id, err instanceof Error ? err.message : String(err));
      msg.retry({ delaySeconds: 60 });
    }
  }
}
