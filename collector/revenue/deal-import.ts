// PUT /v1/deals: upsert validated deal rows by id, resolving each row's `account` to an
// account. Not pure (it reads and writes D1 through storage); the row rules are in deal-rows.ts.
//
// Which account a row names: first an account whose crm_id is exactly `account`, else the
// account owning `account`'s registrable domain (any of its domains). A domain no account has
// yet creates the account (like an unknown business email domain does, SPEC §5), so a deal is
// never lost for want of an account import; a CRM id nobody has, or a personal mail domain,
// refuses the row with a reason.
import { reResolve } from "../accounts/import";
import { isPersonalMailDomain, registrableDomain } from "../identity/email";
import { accountsByDomainOrCrm, type AccountRow, insertAccounts, newAccountId } from "../storage/accounts";
import { type DealRow, existingDealIds, upsertDeals } from "../storage/deals";
import type { DealInput, RowError } from "./deal-rows";

export interface DealImportResult {
  created: number;
  updated: number;
  invalid: number;
  /** invalid rows in request order */
  errors: RowError[];
  /** domains of accounts this import created because no account had them */
  accounts_created: string[];
}

export async function importDeals(d1: D1Database, rows: DealInput[], invalid: RowError[], now: string): Promise<DealImportResult> {
  const refs = [...new Set(rows.map((r) => r.account))];
  const domainOf = new Map(refs.map((ref) => [ref, registrableDomain(ref)]));
  const domains = [...new Set([...domainOf.values()].filter((d): d is string => d !== null))];
  const known = await accountsByDomainOrCrm(d1, domains, refs);

  const newAccounts = new Map<string, AccountRow>();
  const errors = [...invalid];
  const seen = new Map<string, number>();
  const deals: DealRow[] = [];
  for (const r of rows) {
    const earlier = seen.get(r.id);
    if (earlier !== undefined) {
      errors.push({ row: r.row, reason: `Deal id ${JSON.stringify(r.id)} already appears in row ${earlier} of this import.` });
      continue;
    }
    const domain = domainOf.get(r.account) ?? null;
    let account = known.byCrmId.get(r.account) ?? (domain !== null ? known.byDomain.get(domain) ?? newAccounts.get(domain) : undefined);
    if (!account) {
      if (domain === null) {
        errors.push({ row: r.row, reason: `No account has the crm_id ${JSON.stringify(r.account)}, and it is not a domain; import the account first (PUT /v1/accounts).` });
        continue;
      }
      if (isPersonalMailDomain(domain)) {
        errors.push({ row: r.row, reason: `${domain} is a personal mail domain, not a company; name the account by its domain or crm_id.` });
        continue;
      }
      account = { id: newAccountId(), domain, name: null, crm_id: null, segment: null, source: "import", created_at: now, updated_at: now };
      newAccounts.set(domain, account);
    }
    seen.set(r.id, r.row);
    deals.push({
      id: r.id, account_id: account.id, account_ref: r.account, amount: r.amount, currency: r.currency, stage: r.stage,
      created_at: r.created_at, closed_at: r.closed_at, won: r.won, type: r.type, imported_at: now, updated_at: now,
    });
  }

  const existing = await existingDealIds(d1, deals.map((d) => d.id));
  const statements = [...insertAccounts(d1, [...newAccounts.values()]), ...upsertDeals(d1, deals)];
  if (statements.length > 0) await d1.batch(statements);
  // New accounts may be named by visitors' stored evidence (a group call): count them now.
  if (newAccounts.size > 0) await reResolve(d1, { domains: [...newAccounts.keys()], keys: [], asns: [], accountIds: [] }, now);

  return {
    created: deals.filter((d) => !existing.has(d.id)).length,
    updated: deals.filter((d) => existing.has(d.id)).length,
    invalid: errors.length,
    errors: errors.sort((a, b) => a.row - b.row),
    accounts_created: [...newAccounts.keys()].sort(),
  };
}
