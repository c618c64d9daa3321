// Which account a resolution unit belongs to. A unit is one person (every device that shares an
// email hash) or, before anyone identifies, one anonymous visitor. The answer is recomputed from
// the unit's stored evidence every time evidence or accounts change, which is what makes
// resolution retroactive and lets an import re-resolve past visitors (SPEC §5).
import { registrableDomain } from "../identity/email";
import {
  type Resolution,
  resolutionFromAsn,
  resolutionFromEmailDomain,
  resolutionFromGroup,
  strongest,
} from "../identity/resolve";

/** What one device of the unit said about its account. */
export interface DeviceEvidence {
  anonymous_id: string;
  group_id: string | null;
  group_at: string | null;
  asn: number | null;
  as_org: string | null;
}

export interface UnitEvidence {
  devices: readonly DeviceEvidence[];
  /** the person's (registrable) email domain; null for an anonymous unit */
  email_domain: string | null;
}

/** The accounts the evidence may name, each mapped to the account's primary domain. */
export interface AccountLookups {
  /** group keys as sent (CRM ids, domains) and their registrable domains */
  byKey: ReadonlyMap<string, string>;
  /** every domain of every account */
  byDomain: ReadonlyMap<string, string>;
  byAsn: ReadonlyMap<number, string>;
}

/**
 * SPEC §5 over a whole unit: the strongest of its devices' AS numbers, its email domain and
 * its devices' group calls. At equal strength the later answer wins (group calls by time), so
 * the order of the fold is asn → email → group.
 */
export function resolveUnit(unit: UnitEvidence, lookups: AccountLookups): Resolution | null {
  let answer: Resolution | null = null;
  const devices = [...unit.devices].sort((a, b) => (a.anonymous_id < b.anonymous_id ? -1 : 1));
  for (const d of devices) answer = strongest(answer, resolutionFromAsn(d.asn, d.as_org, lookups.byAsn));
  answer = strongest(answer, resolutionFromEmailDomain(unit.email_domain, lookups.byDomain));
  const grouped = devices.filter((d) => d.group_id !== null).sort((a, b) => ((a.group_at ?? "") < (b.group_at ?? "") ? -1 : 1));
  for (const d of grouped) answer = strongest(answer, resolutionFromGroup(d.group_id!, lookups.byKey));
  return answer;
}

/** The keys to look accounts up by for these units: group keys, domains and AS numbers. */
export function lookupKeys(units: readonly UnitEvidence[]): { keys: string[]; domains: string[]; asns: number[] } {
  const keys = new Set<string>();
  const domains = new Set<string>();
  const asns = new Set<number>();
  for (const u of units) {
    if (u.email_domain) domains.add(u.email_domain);
    for (const d of u.devices) {
      if (d.asn !== null) asns.add(d.asn);
      if (d.group_id !== null) {
        keys.add(d.group_id.trim());
        const domain = registrableDomain(d.group_id);
        if (domain) domains.add(domain);
      }
    }
  }
  return { keys: [...keys], domains: [...domains], asns: [...asns] };
}
