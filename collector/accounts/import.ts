// PUT /v1/accounts: upsert accounts by CRM id or domain, claim domains and AS numbers, then
// re-resolve the past visitors those keys name (SPEC §5: adding a domain or ASN re-resolves).
//
// Two transactions: the accounts first, then the re-resolution. The second is computed from the
// visitors' stored evidence, so it is idempotent: if it fails, sending the same import again
// (which then changes no account) still re-resolves everyone. Its cost is O(visitors whose
// evidence names an imported domain, ASN or CRM id, plus their visitor-days), found through
// indexes; it never reads the event log.
import {
  accountsByDomainOrCrm,
  type AccountRow,
  assignAsns,
  assignDomains,
  deleteAccounts,
  insertAccounts,
  newAccountId,
  updateAccounts,
} from "../storage/accounts";
import { identitiesMentioning } from "../storage/identity";
import { guardIdentityEpoch, isEpochConflict, readIdentityEpoch } from "../storage/identity-epoch";
import { refreshRunningSums } from "../storage/rollups-running";
import type { AccountInput, RowError } from "./import-rows";
import { stitch } from "./stitch";

export interface ImportResult {
  created: number;
  updated: number;
  invalid: number;
  errors: RowError[];
  /** visitors whose account changed because of this import */
  re_resolved: number;
}

export async function importAccounts(d1: D1Database, rows: AccountInput[], invalid: RowError[], now: string): Promise<ImportResult> {
  const allDomains = [...new Set(rows.flatMap((r) => [r.domain, ...r.domains]))];
  const allCrm = [...new Set(rows.map((r) => r.crm_id).filter((c): c is string => c !== null))];
  const existing = await accountsByDomainOrCrm(d1, allDomains, allCrm);

  const accounts = new Map<number, AccountRow>();
  const domainOwner = new Map<string, number>();
  const crmOwner = new Map<string, number>();
  for (const [d, a] of existing.byDomain) (accounts.set(a.id, a), domainOwner.set(d, a.id));
  for (const [c, a] of existing.byCrmId) (accounts.set(a.id, a), crmOwner.set(c, a.id));
  const primaryOwner = new Map([...accounts.values()].map((a) => [a.domain, a.id]));

  const created = new Set<number>();
  const updated = new Set<number>();
  const merged = new Set<number>();
  const domainClaims: { domain: string; account_id: number }[] = [];
  const asnClaims: { asn: number; account_id: number }[] = [];
  const errors = [...invalid];

  for (const r of rows) {
    const targetId = (r.crm_id !== null ? crmOwner.get(r.crm_id) : undefined) ?? domainOwner.get(r.domain);
    const target = targetId !== undefined ? accounts.get(targetId)! : undefined;
    // A domain that is another imported account's primary domain stays with it: refuse the row.
    const taken = [r.domain, ...r.domains].find((d) => {
      const owner = primaryOwner.get(d);
      return owner !== undefined && owner !== targetId && !merged.has(owner) && accounts.get(owner)!.source === "import";
    });
    if (taken) {
      errors.push({ row: r.row, reason: `${taken} is the primary domain of another account; change that account first.` });
      continue;
    }
    const crmTaken = r.crm_id !== null && crmOwner.has(r.crm_id) && crmOwner.get(r.crm_id) !== targetId;
    if (crmTaken) {
      errors.push({ row: r.row, reason: `crm_id ${r.crm_id} belongs to another account.` });
      continue;
    }
    const account: AccountRow = target
      ? {
          ...target,
          domain: r.domain,
          name: r.name ?? target.name,
          crm_id: r.crm_id ?? target.crm_id,
          segment: r.segment ?? target.segment,
          source: "import",
          updated_at: now,
        }
      : { id: newAccountId(), domain: r.domain, name: r.name, crm_id: r.crm_id, segment: r.segment, source: "import", created_at: now, updated_at: now };
    if (target && !created.has(account.id)) updated.add(account.id);
    else created.add(account.id);
    if (target && target.domain !== account.domain) primaryOwner.delete(target.domain);
    accounts.set(account.id, account);
    primaryOwner.set(account.domain, account.id);
    if (account.crm_id) crmOwner.set(account.crm_id, account.id);

    for (const d of [r.domain, ...r.domains]) {
      const owner = domainOwner.get(d);
      // An account the pipeline created for this very domain (from an email or group call)
      // is the same company: fold it into the imported one.
      if (owner !== undefined && owner !== account.id && accounts.get(owner)!.source !== "import" && accounts.get(owner)!.domain === d) {
        merged.add(owner);
        primaryOwner.delete(d);
        primaryOwner.set(account.domain, account.id);
      }
      domainOwner.set(d, account.id);
      domainClaims.push({ domain: d, account_id: account.id });
    }
    for (const asn of r.asns) asnClaims.push({ asn, account_id: account.id });
  }

  const pick = (ids: Set<number>) => [...ids].filter((id) => !merged.has(id)).map((id) => accounts.get(id)!);
  const statements = [
    // Merged accounts go first so their primary domains are free for the upserts.
    ...deleteAccounts(d1, [...merged]),
    ...updateAccounts(d1, pick(updated)),
    ...insertAccounts(d1, pick(created)),
    ...assignDomains(d1, domainClaims),
    ...assignAsns(d1, asnClaims),
  ];
  if (statements.length) await d1.batch(statements);

  const reResolved = await reResolve(d1, {
    domains: allDomains,
    keys: allCrm,
    asns: [...new Set(asnClaims.map((a) => a.asn))],
    accountIds: [...merged],
  }, now);
  return { created: pick(created).length, updated: pick(updated).length, invalid: errors.length, errors: errors.sort((a, b) => a.row - b.row), re_resolved: reResolved };
}

/**
 * Recomputes every visitor the keys name and moves their history; answers how many moved.
 * Guarded against the queue consumer committing in between (storage/identity-epoch.ts): on a
 * conflict it reads and decides again.
 */
export async function reResolve(
  d1: D1Database,
  keys: { domains: string[]; keys: string[]; asns: number[]; accountIds: number[] },
  now: string,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const epoch = await readIdentityEpoch(d1);
    const affected = await identitiesMentioning(d1, keys);
    if (affected.length === 0) return 0;
    const identities = new Map(affected.map((r) => [r.anonymous_id, r]));
    const result = await stitch(d1, { identities, people: new Map(), dirty: new Set(identities.keys()), now });
    try {
      await d1.batch([...guardIdentityEpoch(d1, epoch, now), ...result.statements, ...refreshRunningSums(d1, result.touched)]);
      return result.moves.length;
    } catch (err) {
      if (!isEpochConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** Conflicts need a queue batch committing in the few ms between a read and a write. */
const MAX_ATTEMPTS = 5;
