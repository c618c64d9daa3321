// Retroactive stitching: recompute the account of every unit (person or lone visitor) whose
// evidence or accounts changed, create accounts an email or group names for the first time, and
// move each changed visitor's whole history to its new account. Used by the queue consumer's
// identity writer and by PUT /v1/accounts; both commit the statements in one batch.
import type { Resolution } from "../identity/resolve";
import { type AccountRow, insertAccounts, newAccountId } from "../storage/accounts";
import { accountLookups, identitiesOfPeople, identitiesOfUsers, type IdentityRow, peopleOf, type PersonRow, upsertIdentities, upsertPeople } from "../storage/identity";
import { type Move, moveVisitors } from "../storage/rollups";
import type { Touched } from "../storage/rollups-running";
import { type AccountLookups, lookupKeys, resolveUnit, type UnitEvidence } from "./resolution";

/** A moved visitor's days are not known here: refresh its accounts' sums from the start. */
const ALL_DAYS = "0000-00-00";

export interface StitchInput {
  /** identity rows with their evidence up to date; account fields as stored */
  identities: Map<string, IdentityRow>;
  /** people known so far (more are loaded as needed) */
  people: Map<string, PersonRow>;
  /** visitors whose unit must be recomputed */
  dirty: ReadonlySet<string>;
  /** people whose units must be recomputed too (e.g. a device left them) */
  dirtyPeople?: ReadonlySet<string>;
  now: string;
}

export interface StitchResult {
  /** every identity row after resolution (including untouched ones passed in) */
  identities: Map<string, IdentityRow>;
  created: AccountRow[];
  moves: Move[];
  /** accounts whose day rollups the moves changed: their running sums need a refresh */
  touched: Touched[];
  statements: D1PreparedStatement[];
}

export async function stitch(d1: D1Database, input: StitchInput): Promise<StitchResult> {
  const identities = new Map(input.identities);
  const personIds = new Set(input.dirtyPeople ?? []);
  const userIds = new Set<string>();
  const dirty = new Set(input.dirty);
  const note = (row: IdentityRow) => {
    if (row.person_id) personIds.add(row.person_id);
    if (row.user_id) userIds.add(row.user_id);
  };
  for (const id of dirty) {
    const row = identities.get(id);
    if (row) note(row);
  }
  // Every device of every person, and every visitor of every userId, involved: one person is one
  // unit across devices (SPEC §5), and a userId names one person (SPEC §3). Two rounds: a userId
  // can lead to a person whose other devices are not loaded yet.
  const loadedPeople = new Set<string>();
  const loadedUsers = new Set<string>();
  for (let round = 0; round < 2; round++) {
    const people = [...personIds].filter((p) => !loadedPeople.has(p));
    const users = [...userIds].filter((u) => !loadedUsers.has(u));
    if (!people.length && !users.length) break;
    people.forEach((p) => loadedPeople.add(p));
    users.forEach((u) => loadedUsers.add(u));
    const [byPerson, byUser] = await Promise.all([identitiesOfPeople(d1, people), identitiesOfUsers(d1, users)]);
    for (const row of [...byPerson, ...byUser]) {
      if (!identities.has(row.anonymous_id)) identities.set(row.anonymous_id, row);
      note(identities.get(row.anonymous_id)!);
    }
    for (const [anon, row] of adoptUserPersons(identities, userIds)) {
      identities.set(anon, row);
      dirty.add(anon);
      note(row);
    }
  }
  const people = new Map(input.people);
  for (const p of await peopleOf(d1, [...personIds].filter((id) => !people.has(id)))) people.set(p.id, p);

  const units = new Map<string, IdentityRow[]>();
  for (const row of identities.values()) {
    const inScope =
      dirty.has(row.anonymous_id) || (row.person_id !== null && personIds.has(row.person_id)) || (row.user_id !== null && userIds.has(row.user_id));
    if (!inScope) continue;
    const key = row.person_id ?? (row.user_id ? `user:${row.user_id}` : `anon:${row.anonymous_id}`);
    units.set(key, [...(units.get(key) ?? []), row]);
  }
  const evidence = new Map<string, UnitEvidence>();
  for (const [key, rows] of units) {
    const person = rows[0].person_id ? people.get(rows[0].person_id) : undefined;
    evidence.set(key, { devices: rows, email_domain: person?.email_domain ?? null });
  }

  const found = await accountLookups(d1, lookupKeys([...evidence.values()]));
  const idByDomain = new Map<string, number>();
  const byDomain = new Map<string, string>();
  const byKey = new Map<string, string>();
  const byAsn = new Map<number, string>();
  for (const [k, a] of found.byDomain) (byDomain.set(k, a.domain), byKey.set(k, a.domain), idByDomain.set(a.domain, a.id));
  for (const [k, a] of found.byCrmId) (byKey.set(k, a.domain), idByDomain.set(a.domain, a.id));
  for (const [k, a] of found.byAsn) (byAsn.set(k, a.domain), idByDomain.set(a.domain, a.id));
  const lookups: AccountLookups = { byDomain, byKey, byAsn };

  const created: AccountRow[] = [];
  const moves: Move[] = [];
  const fromAccounts = new Set<number>();
  const changed: IdentityRow[] = [];
  for (const [key, rows] of units) {
    const answer = resolveUnit(evidence.get(key)!, lookups);
    const accountId = answer ? (idByDomain.get(answer.account_domain) ?? create(answer)) : null;
    for (const row of rows) {
      const next = withResolution(row, answer, accountId, input.now);
      if (next.account_id !== row.account_id) {
        moves.push({ anonymous_id: row.anonymous_id, to: next.account_id });
        if (row.account_id !== null) fromAccounts.add(row.account_id);
      }
      identities.set(row.anonymous_id, next);
      changed.push(next);
    }
  }

  function create(answer: Resolution): number {
    // Only email and group name an account that does not exist yet; an ASN must be listed.
    const id = newAccountId();
    const source = answer.method === "group" ? "group" : "email";
    created.push({ id, domain: answer.account_domain, name: null, crm_id: null, segment: null, source, created_at: input.now, updated_at: input.now });
    idByDomain.set(answer.account_domain, id);
    return id;
  }

  const statements = [
    ...insertAccounts(d1, created),
    ...upsertPeople(d1, [...people.values()].filter((p) => input.people.has(p.id))),
    ...moveVisitors(d1, moves, [...fromAccounts]),
    ...upsertIdentities(d1, [...new Set([...changed, ...[...input.identities.keys()].map((k) => identities.get(k)!)])]),
  ];
  const touched = [...fromAccounts, ...moves.map((m) => m.to).filter((id): id is number => id !== null)].map((account_id) => ({ account_id, from: ALL_DAYS }));
  return { identities, created, moves, touched, statements };
}

function withResolution(row: IdentityRow, answer: Resolution | null, accountId: number | null, now: string): IdentityRow {
  const same = row.account_id === accountId && row.method === (answer?.method ?? null);
  return {
    ...row,
    account_id: accountId,
    method: answer?.method ?? null,
    confidence: answer?.confidence ?? null,
    resolved_at: answer === null ? null : same ? (row.resolved_at ?? now) : now,
  };
}

/**
 * Visitors that share a userId with an identified visitor but have no person yet take that person
 * (the latest seen, if the userId was identified with several emails): a backend call carrying only
 * the userId then counts for the person's account, whichever arrived first.
 */
function adoptUserPersons(identities: ReadonlyMap<string, IdentityRow>, userIds: ReadonlySet<string>): Map<string, IdentityRow> {
  const personOfUser = new Map<string, IdentityRow>();
  for (const row of identities.values()) {
    if (!row.user_id || !row.person_id || !userIds.has(row.user_id)) continue;
    const known = personOfUser.get(row.user_id);
    if (!known || row.last_seen > known.last_seen) personOfUser.set(row.user_id, row);
  }
  const out = new Map<string, IdentityRow>();
  for (const row of identities.values()) {
    const source = row.user_id ? personOfUser.get(row.user_id) : undefined;
    if (source && row.person_id === null) out.set(row.anonymous_id, { ...row, person_id: source.person_id });
  }
  return out;
}
