import type { EnrichedEvent } from "../events";
import { campaignKey } from "../ingest/enrich/campaign";
import { appendMarks, type BotReason, decodeMarks, encodeMarks, type Mark, markOf } from "./marks";

/** SPEC §6: a gap over 30 minutes, or a new campaign, starts a new session. */
export const SESSION_GAP_MS = 30 * 60_000;
/** A session keeps at most this many marks (~25 KB); past it (a crawler) events only add to its counts. */
export const MAX_MARKS = 2_000;

export interface Touchpoint {
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landing_page: string | null;
  referrer_host: string | null;
}

/** A session row as stored (collector/storage/sessions.ts). */
export interface SessionRow extends Touchpoint {
  id: number;
  anonymous_id: string;
  started_at: string;
  ended_at: string;
  pageviews: number;
  events: number;
  is_bot: boolean;
  bot_reason: string | null;
  /** JSON, see marks.ts */
  marks: string;
}

/** A new event with what sessionizing needs to know about it beyond the event itself. */
export interface PendingEvent {
  event: EnrichedEvent & { anonymous_id: string };
  mark: Mark;
}

export type SessionizedEvent = EnrichedEvent & { session_id: string | null };

export interface Recut {
  /** the visitor's sessions in range after the re-cut (unchanged ones too) */
  after: SessionRow[];
  /** sessions to write (new or changed), whole rows */
  upserts: SessionRow[];
  /** stored sessions that no longer exist (merged into another) */
  deletes: number[];
  /** the stored sessions read, as they were: for rollup deltas */
  before: SessionRow[];
  /** every new event with the id of the session it now belongs to */
  assigned: { message_id: string; session_id: number }[];
  /** the next free session id */
  nextId: number;
  /**
   * Set when the new events only continued one stored session (appended, its verdict and
   * touchpoint unchanged): their marks are all the day rollups change by.
   */
  appended: Mark[] | null;
}

/** A new event ready to be sessionized: its mark, given the id of its page path and the high-intent rules' verdict. */
export function pendingEvent(e: EnrichedEvent & { anonymous_id: string }, page: number | null, highIntent: boolean): PendingEvent {
  return {
    event: e,
    mark: markOf({
      type: e.type, event: e.event, timestamp: e.timestamp, properties: e.properties, bot_reason: e.is_bot ? e.bot_reason : null,
      hosting_network: e.hosting_network ?? false, campaign: eventCampaign(e), page: e.type === "page" ? page : null,
      high_intent: e.type === "page" && highIntent,
    }),
  };
}

const ISO = (ms: number) => new Date(ms).toISOString();
const ms = (iso: string) => Date.parse(iso);

/** The session's touchpoint from one event, GA-style: source/medium fall back to the referrer, or (direct)/(none). */
export function touchpointOf(e: EnrichedEvent): Touchpoint {
  const source = e.utm_source ?? e.referrer_host ?? (e.gclid ? "google" : e.msclkid ? "bing" : "(direct)");
  const medium = e.utm_medium ?? (e.gclid || e.msclkid ? "cpc" : e.referrer_host ? (e.channel === "Organic Search" ? "organic" : "referral") : "(none)");
  return { channel: e.channel, source, medium, campaign: e.utm_campaign, landing_page: e.path, referrer_host: e.referrer_host };
}

/** A short, stable hash of a campaign key (FNV-1a, 52 bits in base 36): marks compare campaigns by it. */
export function campaignHash(key: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    h ^= BigInt(key.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (h & 0xfffffffffffffn).toString(36);
}

export function eventCampaign(e: EnrichedEvent): string | null {
  const key = campaignKey(e);
  return key === null ? null : campaignHash(key);
}

/**
 * The verdict of a session from all its marks (SPEC §3): a user agent that says bot decides;
 * a hosting network decides only when nothing in the session looks like a person.
 */
export function verdict(marks: readonly Mark[]): { is_bot: boolean; bot_reason: string | null } {
  const ua = marks.find((m) => m.bot !== null)?.bot ?? null;
  if (ua) return { is_bot: true, bot_reason: ua };
  if (marks.some((m) => m.hosting) && !marks.some((m) => m.human)) return { is_bot: true, bot_reason: "datacenter-asn" };
  return { is_bot: false, bot_reason: null };
}

interface Item {
  mark: Mark;
  /** the stored session the mark came from, or null for a new event */
  from: SessionRow | null;
  /** the stored session's first page (or, without pages, its first mark): its touchpoint is that session's */
  opensFrom: boolean;
  fresh: PendingEvent | null;
}

/** At the same instant a page view comes first: it is what gives a session its touchpoint. */
const byTime = (a: Mark, b: Mark) => a.t - b.t || (a.kind === "page" ? 0 : 1) - (b.kind === "page" ? 0 : 1);

const order = (a: Item, b: Item) =>
  byTime(a.mark, b.mark) ||
  (a.from ? 0 : 1) - (b.from ? 0 : 1) ||
  (a.fresh && b.fresh ? (a.fresh.event.message_id < b.fresh.event.message_id ? -1 : 1) : 0);

/**
 * One visitor's sessions re-cut by time (SPEC §6) from its stored sessions near the new events
 * and the new events themselves: the result is the same whatever order the events arrived in,
 * because a session is a function of the visitor's events sorted by time. A late event joins the
 * session that covers its time, bridges two into one, or (with a new campaign) splits one. Pure:
 * the same inputs give the same sessions and ids, so a retried batch writes what the failed one would have.
 *
 * `stored` must hold every stored session of the visitor within 30 minutes of a new event.
 */
export function recut(stored: readonly SessionRow[], fresh: readonly PendingEvent[], firstFreeId: number): Recut {
  const continued = continueSession(stored, fresh, firstFreeId);
  if (continued) return continued;
  let nextId = firstFreeId;
  const frozen = stored.filter((s) => decodedCount(s) >= MAX_MARKS);
  const items: Item[] = [];
  for (const s of stored) {
    if (frozen.includes(s)) continue;
    const marks = decodeMarks(s.marks, ms(s.started_at), campaignHashOf, ms(s.ended_at));
    const first = marks.findIndex((m) => m.kind === "page");
    marks.forEach((mark, i) => items.push({ mark, from: s, opensFrom: i === (first >= 0 ? first : 0), fresh: null }));
  }
  // New events inside a crawler-sized session only add to its counts.
  const absorbed = new Map<number, PendingEvent[]>();
  for (const f of fresh) {
    const host = frozen.find((s) => f.mark.t >= ms(s.started_at) - SESSION_GAP_MS && f.mark.t <= ms(s.ended_at) + SESSION_GAP_MS);
    if (host) absorbed.set(host.id, [...(absorbed.get(host.id) ?? []), f]);
    else items.push({ mark: f.mark, from: null, opensFrom: false, fresh: f });
  }
  items.sort(order);

  // Walk in time order: a gap over 30 minutes or a different campaign starts a new session.
  const cuts: Item[][] = [];
  let campaign: string | null = null;
  for (const it of items) {
    const current = cuts[cuts.length - 1];
    const last = current?.[current.length - 1];
    const continues = last !== undefined && it.mark.t - last.mark.t <= SESSION_GAP_MS && (it.mark.campaign === null || it.mark.campaign === campaign);
    if (continues) current.push(it);
    else {
      cuts.push([it]);
      campaign = it.mark.campaign;
    }
  }

  const used = new Set<number>();
  const upserts: SessionRow[] = [];
  const assigned: Recut["assigned"] = [];
  for (const cut of cuts) {
    // A session keeps the smallest id of the stored sessions it holds; a split-off part gets a new one.
    const ids = [...new Set(cut.map((i) => i.from?.id).filter((id): id is number => id !== undefined))].sort((a, b) => a - b);
    const id = ids.find((i) => !used.has(i)) ?? nextId++;
    used.add(id);
    const marks = cut.map((i) => i.mark);
    const start = marks[0].t;
    const pages = cut.filter((i) => i.mark.kind === "page");
    const opener = pages[0] ?? cut[0];
    const v = verdict(marks);
    const anonymous_id = cut[0].from?.anonymous_id ?? cut[0].fresh!.event.anonymous_id;
    upserts.push({
      id,
      anonymous_id,
      started_at: ISO(start),
      ended_at: ISO(marks[marks.length - 1].t),
      ...touchpoint(opener, cut),
      pageviews: pages.length,
      events: marks.length,
      ...v,
      marks: encodeMarks(marks.slice(0, MAX_MARKS), start),
    });
    for (const i of cut) if (i.fresh) assigned.push({ message_id: i.fresh.event.message_id, session_id: id });
  }
  for (const s of frozen) {
    const extra = absorbed.get(s.id);
    if (!extra) continue;
    const times = extra.map((f) => f.mark.t);
    const bot = extra.find((f) => f.mark.bot !== null)?.mark.bot ?? null;
    upserts.push({
      ...s,
      started_at: ISO(Math.min(ms(s.started_at), ...times)),
      ended_at: ISO(Math.max(ms(s.ended_at), ...times)),
      pageviews: s.pageviews + extra.filter((f) => f.mark.kind === "page").length,
      events: s.events + extra.length,
      ...(bot && !s.is_bot ? { is_bot: true, bot_reason: bot as BotReason } : {}),
    });
    for (const f of extra) assigned.push({ message_id: f.event.message_id, session_id: s.id });
  }
  const deletes = stored.filter((s) => !used.has(s.id) && !frozen.includes(s)).map((s) => s.id);
  const byId = new Map(stored.map((s) => [s.id, s]));
  const after = [...upserts, ...frozen.filter((s) => !absorbed.has(s.id))];
  // A session the new events left as it was is not written again (D1 bills rows written).
  const changed = upserts.filter((s) => !sameRow(s, byId.get(s.id)));
  return { after, upserts: changed, deletes, before: [...stored], assigned, nextId, appended: null };
}

/**
 * The fast path of recut, giving exactly what the full one would: the visitor's only session in
 * range goes on with later events (each within 30 minutes of the one before, none with a campaign
 * but the session's own, no bot or hosting signal), so it keeps its touchpoint and verdict and its
 * marks are appended without decoding the ones stored. Anything else (a late event, a new campaign, a signal that could
 * change the verdict, a session without a page yet, one near the mark cap) takes the full path.
 */
function continueSession(stored: readonly SessionRow[], fresh: readonly PendingEvent[], nextId: number): Recut | null {
  if (stored.length !== 1 || fresh.length === 0) return null;
  const s = stored[0];
  if (s.is_bot || s.pageviews === 0 || s.events + fresh.length >= MAX_MARKS) return null;
  // A session's campaign is its first mark's (recut's walk); a mark with another one splits it.
  const campaign = openingCampaign(s.marks);
  if (campaign === undefined) return null;
  // recut's order for new events (they all come after the stored marks).
  const sorted = [...fresh].sort((a, b) => byTime(a.mark, b.mark) || (a.event.message_id < b.event.message_id ? -1 : 1));
  let last = ms(s.ended_at);
  for (const [i, f] of sorted.entries()) {
    const m = f.mark;
    // At the session's last instant the order of marks is the full path's to decide (page views first).
    if (m.t < last || (i === 0 && m.t === last) || m.t - last > SESSION_GAP_MS || (m.campaign !== null && m.campaign !== campaign) || m.bot !== null || m.hosting) return null;
    last = m.t;
  }
  const marks = sorted.map((f) => f.mark);
  const updated: SessionRow = {
    ...s,
    ended_at: ISO(last),
    pageviews: s.pageviews + marks.filter((m) => m.kind === "page").length,
    events: s.events + marks.length,
    marks: appendMarks(s.marks, ms(s.started_at), ms(s.ended_at), marks),
  };
  return {
    after: [updated],
    upserts: [updated],
    deletes: [],
    before: [...stored],
    assigned: sorted.map((f) => ({ message_id: f.event.message_id, session_id: s.id })),
    nextId,
    appended: marks,
  };
}

/**
 * The campaign hash of a session's first stored mark, read without decoding the others (a mark is
 * a flat tuple: the first "]" ends it); undefined when it cannot be read that way (a first-version
 * mark keeping its key in clear).
 */
function openingCampaign(marks: string): string | null | undefined {
  const end = marks.indexOf("]", 1);
  if (!marks.startsWith("[[") || end === -1) return undefined;
  try {
    const first = JSON.parse(marks.slice(1, end + 1)) as unknown[];
    const c = first[3];
    if (c === undefined) return null;
    return typeof c === "string" && c !== "" && !c.startsWith("=") ? c : undefined;
  } catch {
    return undefined;
  }
}

function touchpoint(opener: Item, cut: Item[]): Touchpoint {
  if (opener.fresh) return touchpointOf(opener.fresh.event);
  if (opener.opensFrom && opener.from) return pick(opener.from);
  // A stored mark that did not open its session now opens one (a split): no event is at hand, so
  // the new event that caused the split gives the touchpoint, else the stored session's.
  const cause = cut.find((i) => i.fresh);
  return cause?.fresh ? touchpointOf(cause.fresh.event) : pick(opener.from!);
}

const pick = (s: Touchpoint): Touchpoint => ({
  channel: s.channel, source: s.source, medium: s.medium, campaign: s.campaign, landing_page: s.landing_page, referrer_host: s.referrer_host,
});

const campaignHashOf = (key: string) => campaignHash(key);

function sameRow(a: SessionRow, b: SessionRow | undefined): boolean {
  if (!b) return false;
  return (Object.keys(a) as (keyof SessionRow)[]).every((k) => a[k] === b[k]);
}

/** Marks a stored session holds; decoded only for sessions that may have reached the cap. */
function decodedCount(s: SessionRow): number {
  return s.events >= MAX_MARKS ? decodeMarks(s.marks, 0, campaignHashOf).length : 0;
}
