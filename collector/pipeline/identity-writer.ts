// The queue consumer's identity writer: updates each visitor's evidence (group, email → person,
// userId, ASN) from the batch's human events, then re-resolves the units that changed
// (retroactively, via stitch). Everything it returns commits in the consumer's one transaction,
// so a retried batch rewrites exactly the same state.
import { stitch } from "../accounts/stitch";
import type { EnrichedEvent } from "../events";
import { identitiesOf, identitiesOfPeople, type IdentityRow, peopleOf, type PersonRow } from "../storage/identity";
import { rekeyPeople } from "../storage/people-rekey";
import type { Touched } from "../storage/rollups-running";

/** An event with the visitor it counts for: its anonymous id, or `u:<userId>` for a backend call with only a userId. */
export type VisitorEvent = EnrichedEvent & { visitor: string };

export interface IdentityOutcome {
  statements: D1PreparedStatement[];
  /** the account each visitor of the batch (and each one re-resolved with it) counts for now */
  accountOf: (visitor: string) => number | null;
  /** accounts whose day rollups the re-resolution moved */
  touched: Touched[];
}

export const userVisitor = (userId: string) => `u:${userId}`;

export async function resolveIdentities(d1: D1Database, events: readonly VisitorEvent[], now: string): Promise<IdentityOutcome> {
  const sorted = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  if (sorted.length === 0) return { statements: [], accountOf: () => null, touched: [] };

  const visitors = [...new Set(sorted.map((e) => e.visitor))];
  const hashes = [...new Set(sorted.map((e) => e.email_hash).filter((h): h is string => h !== null))];
  // People first identified under the plain SHA-256 of their email take its keyed hash (SPEC §13).
  const legacy = new Map<string, string>();
  for (const e of sorted) if (e.legacy_email_hash && e.email_hash && e.legacy_email_hash !== e.email_hash) legacy.set(e.legacy_email_hash, e.email_hash);
  const [stored, storedPeople, legacyPeople, legacyDevices] = await Promise.all([
    identitiesOf(d1, visitors),
    peopleOf(d1, hashes),
    peopleOf(d1, [...legacy.keys()]),
    identitiesOfPeople(d1, [...legacy.keys()]),
  ]);
  const identities = new Map(stored.map((r) => [r.anonymous_id, r]));
  const people = new Map(storedPeople.map((p) => [p.id, p]));
  const dirty = new Set<string>();
  const dirtyPeople = new Set<string>();
  const touchedPeople = new Map<string, PersonRow>();
  const upgraded = legacyPeople.filter((p) => legacy.has(p.id));
  for (const p of upgraded) {
    const id = legacy.get(p.id)!;
    const known = people.get(id);
    const merged = { ...p, id, first_seen: min(p.first_seen, known?.first_seen), last_seen: max(p.last_seen, known?.last_seen) };
    people.set(id, merged);
    touchedPeople.set(id, merged);
  }
  for (const row of legacyDevices) {
    const next = { ...(identities.get(row.anonymous_id) ?? row), person_id: legacy.get(row.person_id!)! };
    identities.set(row.anonymous_id, next);
    dirty.add(row.anonymous_id);
  }

  for (const e of sorted) {
    const before = identities.get(e.visitor);
    const row: IdentityRow = before
      ? { ...before }
      : { anonymous_id: e.visitor, site_id: e.site_id, person_id: null, account_id: null, method: null, confidence: null, resolved_at: null, group_id: null, group_at: null, asn: null, as_org: null, user_id: null, first_seen: e.timestamp, last_seen: e.timestamp };
    if (!before) dirty.add(row.anonymous_id);
    row.first_seen = min(row.first_seen, e.timestamp);
    row.last_seen = max(row.last_seen, e.timestamp);
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
    if (e.user_id && e.user_id !== row.user_id) {
      row.user_id = e.user_id;
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
        first_seen: min(e.timestamp, p?.first_seen),
        last_seen: max(e.timestamp, p?.last_seen),
      });
    }
    identities.set(row.anonymous_id, row);
  }

  const stitched = await stitch(d1, { identities, people: touchedPeople, dirty, dirtyPeople, now });
  return {
    statements: [...rekeyPeople(d1, upgraded.map((p) => ({ from: p.id, to: legacy.get(p.id)! }))), ...stitched.statements],
    accountOf: (visitor) => stitched.identities.get(visitor)?.account_id ?? null,
    touched: stitched.touched,
  };
}

const min = (a: string, b: string | undefined) => (b !== undefined && b < a ? b : a);
const max = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);
