// The suppression list (SPEC §13): later events of an erased person — by any identifier their
// erasure found — are dropped by the queue consumer before dedupe, sessions or the archive see
// them, and counted on the erasure as `suppressed`; no payload is kept.
//
// Why the consumer and not ingest: ingest answers from the edge without a D1 read (SPEC §9), so it
// could only check a copy cached per isolate, which lags an erasure by its age. The consumer reads
// D1 for every batch anyway, and its commit carries the identity epoch guard: an erasure starts by
// storing its suppressions and moving that epoch in one transaction, so a batch that read the list
// before that fails its commit and is retried — no event of the person is stored after an erasure
// has started. (Their payload still crosses the queue, which deletes it once consumed.)
//
// Why this is cheap: the list is kept per isolate with its version, a settings row each change
// bumps; a batch reads only the version (one query) unless it moved. With no erasure ever, nothing
// more is done. The list holds keyed hashes (HMAC-SHA256 under HASH_SECRET of `<kind>:<value>`),
// never the identifiers, so the batch's distinct identifiers are hashed when the list is not empty.
import type { EnrichedEvent, RejectedEvent } from "../events";
import { keyedHash } from "../identity/email";
import { addSuppressed, insertSuppressions, suppressionTokens, suppressionVersion, type Suppression } from "../storage/privacy";
import { eventIdentifiers, type Identifier, rejectIdentifiers } from "./match";

export const tokenOf = (id: Identifier, secret: string) => keyedHash(`${id.kind}:${id.value}`, secret);

let cached: { version: number; tokens: Map<string, string> } | null = null;

/** token → the erasure that listed it; null when nothing was ever suppressed. */
async function suppressionList(d1: D1Database): Promise<Map<string, string> | null> {
  const version = await suppressionVersion(d1);
  if (version === 0) return null;
  if (cached?.version !== version) {
    cached = { version, tokens: new Map((await suppressionTokens(d1)).map((r) => [r.token, r.erasure_id])) };
  }
  return cached.tokens;
}

export interface Suppressed {
  events: EnrichedEvent[];
  rejects: RejectedEvent[];
  /** events and rejects dropped */
  count: number;
  /** for the consumer's transaction: the counts, and browsers newly found to be the person's */
  statements: D1PreparedStatement[];
}

const idKey = (id: Identifier) => `${id.kind}:${id.value}`;

/**
 * The batch without what the list suppresses. An event dropped for its email hash or user id
 * names the browser it came from: that anonymous id joins the list (same erasure), and the
 * batch's other events from it are dropped too — a person who identifies on a new device after
 * their erasure is not tracked on it either.
 */
export async function dropSuppressed(d1: D1Database, secret: string | undefined, events: EnrichedEvent[], rejects: RejectedEvent[], now: string): Promise<Suppressed> {
  const tokens = await suppressionList(d1);
  if (!tokens || tokens.size === 0) return { events, rejects, count: 0, statements: [] };
  if (!secret) throw new Error("the suppression list needs HASH_SECRET to hash identifiers");

  const eventIds = events.map(eventIdentifiers);
  const rejectIds = rejects.map((r) => rejectIdentifiers(r.payload));
  const distinct = new Map<string, Identifier>();
  for (const id of [...eventIds.flat(), ...rejectIds.flat()]) distinct.set(idKey(id), id);
  const hashed = new Map(await Promise.all([...distinct].map(async ([k, id]) => [k, await tokenOf(id, secret)] as const)));
  const erasureOf = (ids: Identifier[]) => {
    for (const id of ids) {
      const hit = tokens.get(hashed.get(idKey(id))!);
      if (hit) return hit;
    }
    return null;
  };

  const counts = new Map<string, number>();
  const count = (erasure: string) => counts.set(erasure, (counts.get(erasure) ?? 0) + 1);
  const browsers = new Map<string, string>();
  const dropped = new Set<number>();
  events.forEach((e, i) => {
    const erasure = erasureOf(eventIds[i]);
    if (!erasure) return;
    dropped.add(i);
    if (e.anonymous_id) browsers.set(e.anonymous_id, erasure);
  });
  events.forEach((e, i) => {
    const erasure = e.anonymous_id ? browsers.get(e.anonymous_id) : undefined;
    if (erasure) dropped.add(i);
  });
  const keptEvents = events.filter((e, i) => {
    if (!dropped.has(i)) return true;
    count(erasureOf(eventIds[i]) ?? browsers.get(e.anonymous_id!)!);
    return false;
  });
  const keptRejects = rejects.filter((_, i) => {
    const erasure = erasureOf(rejectIds[i]);
    if (erasure) count(erasure);
    return !erasure;
  });

  const added: (Suppression & { erasure: string })[] = [];
  for (const [anon, erasure] of browsers) {
    const token = hashed.get(idKey({ kind: "anonymous_id", value: anon }))!;
    if (!tokens.has(token)) added.push({ token, kind: "anonymous_id", erasure });
  }
  const byErasure = new Map<string, Suppression[]>();
  for (const a of added) byErasure.set(a.erasure, [...(byErasure.get(a.erasure) ?? []), { token: a.token, kind: a.kind }]);
  return {
    events: keptEvents,
    rejects: keptRejects,
    count: events.length - keptEvents.length + rejects.length - keptRejects.length,
    statements: [...addSuppressed(d1, counts), ...[...byErasure].flatMap(([erasure, rows]) => insertSuppressions(d1, erasure, rows, now))],
  };
}
