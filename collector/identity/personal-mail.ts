// Which email domains name a person's mailbox rather than a company (SPEC §5: free and
// personal mail never resolves to an account). The bulk list is the `email-providers`
// package (ISC, ~8.7k domains from goware/emailproviders); the two lists below correct it.
import providers from "email-providers/all.json";

/**
 * Personal/free mail services missing from the package's list (checked against v2.26):
 * privacy mail, relay/alias services and a few national providers.
 */
export const EXTRA_PERSONAL_MAIL_DOMAINS: readonly string[] = [
  "fastmail.com",
  "tutanota.com",
  "tutanota.de",
  "tutamail.com",
  "tuta.io",
  "tuta.com",
  "keemail.me",
  "posteo.de",
  "posteo.net",
  "mailfence.com",
  "startmail.com",
  "disroot.org",
  "riseup.net",
  "zohomail.com",
  "duck.com", // DuckDuckGo email protection relay
  "passmail.net", // Proton Pass aliases
  "passinbox.com",
  "simplelogin.com",
  "slmail.me",
  "aleeas.com",
  "anonaddy.me",
  "addy.io",
  "gmx.ch",
  "gmx.us",
  "mail.de",
  "aol.de",
  "kakao.com",
  "sohu.com",
  "139.com",
  "ziggo.nl",
];

/**
 * Company domains that the package lists as mail providers although the people with
 * addresses there are the company's own staff (its list comes from a ranking of sites,
 * not of mail services). A form filled in from jane@facebook.com is Meta showing interest,
 * so these resolve like any business domain. example.com is here too: it carries no real
 * mail (RFC 2606), so the only addresses there are demo and test data, which should
 * exercise resolution rather than silently vanish.
 */
export const COMPANY_DOMAINS_LISTED_AS_PROVIDERS: readonly string[] = [
  "facebook.com",
  "alibaba.com",
  "example.com",
  "bt.com", // BT's consumer mail is btinternet.com / btopenworld.com
  "oath.com",
  "ancestry.com",
  "discovery.com",
  "medscape.com",
  "clerk.com",
  "easypost.com",
  "parrot.com",
  "saudia.com",
  "singpost.com",
  "name.com",
  "nus.edu.sg",
];

// Built once per isolate: a Set lookup per email instead of a scan of 8.7k entries.
const PERSONAL = new Set<string>([...providers, ...EXTRA_PERSONAL_MAIL_DOMAINS]);
for (const d of COMPANY_DOMAINS_LISTED_AS_PROVIDERS) PERSONAL.delete(d);

/** True when the host (or its registrable domain, passed separately) is a personal mail service. */
export function isPersonalMailHost(host: string, registrable?: string): boolean {
  const h = host.toLowerCase();
  return PERSONAL.has(h) || (registrable !== undefined && PERSONAL.has(registrable.toLowerCase()));
}
