// A person first stored under the plain SHA-256 of their email moves to the keyed hash (SPEC §13)
// the next time the collector sees the address: the person row, every device and the timeline
// moments that name them. Statements for the consumer's batch, before its identity writes.

export interface Rekey {
  from: string;
  to: string;
}

export function rekeyPeople(d1: D1Database, rekeys: readonly Rekey[]): D1PreparedStatement[] {
  if (rekeys.length === 0) return [];
  const json = JSON.stringify(rekeys);
  return [
    d1
      .prepare(
        `UPDATE visitor_moments SET detail = json_set(detail, '$.person_id', r.value ->> 'to')
         FROM json_each(?1) r, visitor_identities vi
         WHERE vi.person_id = r.value ->> 'from' AND visitor_moments.anonymous_id = vi.anonymous_id
           AND visitor_moments.detail ->> '$.person_id' = r.value ->> 'from'`,
      )
      .bind(json),
    d1
      .prepare(`UPDATE visitor_identities SET person_id = r.value ->> 'to' FROM json_each(?1) r WHERE visitor_identities.person_id = r.value ->> 'from'`)
      .bind(json),
    d1.prepare("DELETE FROM people WHERE id IN (SELECT value ->> 'from' FROM json_each(?1))").bind(json),
  ];
}
