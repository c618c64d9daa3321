// SPEC §5 as pure rules: what each signal says about a visitor's account, and which of two
// answers the visitor keeps. Storage applies these; nothing here reads D1.
import { asnResolvable } from "./asn";
import { emailDomain, isPersonalMailDomain, registrableDomain } from "./email";

export type ResolutionMethod = "group" | "email" | "asn";

export interface Resolution {
  account_domain: string;
  method: ResolutionMethod;
  confidence: number;
}

/**
 * Confidence per method, recorded on the visitor. group: the site itself states the account
 * (1.0). email: a person's work address, slightly less because people sign up with an
 * employer's domain on behalf of another company (0.9). asn: the network the visit came
 * from, shared with guests, contractors and anyone on the office wifi (0.5).
 */
export const CONFIDENCE: Readonly<Record<ResolutionMethod, number>> = { group: 1, email: 0.9, asn: 0.5 };

const STRENGTH: Readonly<Record<ResolutionMethod, number>> = { group: 3, email: 2, asn: 1 };

/**
 * The resolution a visitor keeps: `current` is what it has, `incoming` the newer signal.
 * A stronger method is never replaced by a weaker one; at equal strength the newer wins
 * (the person changed jobs, the site re-grouped them).
 */
export function strongest(current: Resolution | null, incoming: Resolution | null): Resolution | null {
  if (incoming === null) return current;
  if (current === null) return incoming;
  return STRENGTH[incoming.method] >= STRENGTH[current.method] ? incoming : current;
}

/**
 * A `group` call or `context.groupId`. The value is an account key the deployment knows
 * (a CRM id or any of an account's domains, looked up exactly as given, then as a domain)
 * or a domain, which names the account even when none exists yet. An unknown non-domain id
 * ("acct_42") cannot name an account: null.
 */
export function resolutionFromGroup(
  groupIdOrDomain: string,
  accountsByKey: ReadonlyMap<string, string> = new Map(),
): Resolution | null {
  const key = groupIdOrDomain.trim();
  if (key === "") return null;
  const known = accountsByKey.get(key);
  if (known !== undefined) return { account_domain: known, method: "group", confidence: CONFIDENCE.group };
  const domain = registrableDomain(key);
  if (domain === null) return null;
  return { account_domain: accountsByKey.get(domain) ?? domain, method: "group", confidence: CONFIDENCE.group };
}

/**
 * An identify call or submitted form email. Personal mail never resolves; a business domain
 * resolves to the account that lists it, or names a new account (SPEC §5 rule 2).
 * `accountsByDomain` maps every domain of every account to the account's primary domain.
 */
export function resolutionFromEmail(
  email: string,
  accountsByDomain: ReadonlyMap<string, string> = new Map(),
): Resolution | null {
  const parsed = emailDomain(email);
  if (parsed === null || parsed.personal) return null;
  return emailResolution(parsed.domain, accountsByDomain);
}

/** Same as resolutionFromEmail for a stored `email_domain` (the address itself is not kept). */
export function resolutionFromEmailDomain(
  domain: string | null,
  accountsByDomain: ReadonlyMap<string, string> = new Map(),
): Resolution | null {
  if (domain === null) return null;
  const registrable = registrableDomain(domain);
  if (registrable === null || isPersonalMailDomain(domain)) return null;
  return emailResolution(registrable, accountsByDomain);
}

/**
 * The request's AS number, when an account lists it and its organisation is not an ISP,
 * carrier or cloud. Never creates an account.
 */
export function resolutionFromAsn(
  asn: number | null,
  asOrg: string | null,
  accountsByAsn: ReadonlyMap<number, string>,
): Resolution | null {
  if (asn === null) return null;
  const account = accountsByAsn.get(asn);
  if (account === undefined || !asnResolvable(asOrg)) return null;
  return { account_domain: account, method: "asn", confidence: CONFIDENCE.asn };
}

function emailResolution(domain: string, accountsByDomain: ReadonlyMap<string, string>): Resolution {
  return { account_domain: accountsByDomain.get(domain) ?? domain, method: "email", confidence: CONFIDENCE.email };
}
