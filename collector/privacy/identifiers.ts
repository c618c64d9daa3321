// Everything that names the person an erasure asks for (SPEC §13): from an email (its keyed
// hash, and the plain SHA-256 people were first stored under), a user id or an anonymous id, to
// every visitor of that person and every user id and person those visitors lead to, until
// nothing new turns up. Identifiers are in their stored form (an email inside an id is hashed,
// as redaction does at ingest).
import { hasEmail, redactText, withEmailHashes } from "../ingest/redact";
import { hashEmail, legacyEmailHash } from "../identity/email";
import { identitiesOf, identitiesOfPeople, identitiesOfUsers, peopleOf } from "../storage/identity";
import type { Identifier } from "./match";

export type EraseKey = { email: string } | { user_id: string } | { anonymous_id: string };

export interface Found {
  /** what stored lines are matched against (anonymous ids, user ids, email hashes) */
  keys: Identifier[];
  /** visitors whose D1 state goes: anonymous ids, and u:<userId> for backend users */
  visitors: string[];
  /** people rows that go */
  people: string[];
}

/** A user id or anonymous id as ingest stored it: an address inside it became its hash. */
async function stored(id: string, secret: string): Promise<string> {
  return hasEmail(id) ? withEmailHashes((hash) => redactText(id, hash), (e) => hashEmail(e, secret)) : id;
}

/** Rounds of following links; a person's devices and user ids are found in two or three. */
const MAX_ROUNDS = 8;

export async function personIdentifiers(d1: D1Database, key: EraseKey, secret: string): Promise<Found> {
  const anonymous = new Set<string>();
  const users = new Set<string>();
  const people = new Set<string>();
  const hashes = new Set<string>();
  if ("email" in key) {
    const hash = await hashEmail(key.email, secret);
    hashes.add(hash);
    people.add(hash);
    // The first version's people were keyed by the plain SHA-256 (identity-writer upgrades them when seen).
    people.add(await legacyEmailHash(key.email));
    // An email sent as the userId was stored as its hash.
    users.add(hash);
  } else if ("user_id" in key) users.add(await stored(key.user_id, secret));
  else anonymous.add(await stored(key.anonymous_id, secret));

  const seen = { anonymous: new Set<string>(), users: new Set<string>(), people: new Set<string>() };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = {
      anonymous: [...anonymous].filter((v) => !seen.anonymous.has(v)),
      users: [...users].filter((v) => !seen.users.has(v)),
      people: [...people].filter((v) => !seen.people.has(v)),
    };
    if (!next.anonymous.length && !next.users.length && !next.people.length) break;
    next.anonymous.forEach((v) => seen.anonymous.add(v));
    next.users.forEach((v) => seen.users.add(v));
    next.people.forEach((v) => seen.people.add(v));
    const rows = (await Promise.all([identitiesOf(d1, next.anonymous), identitiesOfUsers(d1, next.users), identitiesOfPeople(d1, next.people)])).flat();
    for (const r of rows) {
      anonymous.add(r.anonymous_id);
      if (r.user_id) users.add(r.user_id);
      if (r.person_id) people.add(r.person_id);
    }
  }

  const existing = new Set((await peopleOf(d1, [...people])).map((p) => p.id));
  // A person id is an email's hash: events carry it as email_hash (the plain one, on first-version lines).
  for (const p of people) if (existing.has(p)) hashes.add(p);
  const keys: Identifier[] = [
    ...[...anonymous].filter((a) => !a.startsWith("u:")).map((value) => ({ kind: "anonymous_id" as const, value })),
    ...[...users].map((value) => ({ kind: "user_id" as const, value })),
    ...[...hashes].map((value) => ({ kind: "email_hash" as const, value })),
  ];
  const visitors = [...new Set([...anonymous, ...[...users].map((u) => `u:${u}`)])];
  return { keys, visitors, people: [...people].filter((p) => existing.has(p)) };
}
