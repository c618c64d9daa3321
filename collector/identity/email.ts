// Email and account domains reduced to the registrable domain (public-suffix aware, so
// mail.acme.co.uk → acme.co.uk), plus the keyed hash under which an email is stored (SPEC §13).
import { parse } from "tldts";
import { hex, sha256Hex } from "../bytes";
import { isPersonalMailHost } from "./personal-mail";

export interface EmailDomain {
  /** registrable domain, lower-case, ASCII (IDNs in punycode) */
  domain: string;
  /** a free/personal mail service: never resolves to an account (SPEC §5) */
  personal: boolean;
}

// Deliberately loose: one @, something either side, no spaces. Mail servers accept far more
// than any regex admits; all we need is a domain we can trust.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

/** The email's registrable domain and whether it is personal mail; null when it is not an email. */
export function emailDomain(email: string): EmailDomain | null {
  if (typeof email !== "string") return null;
  const trimmed = email.trim();
  if (!EMAIL_SHAPE.test(trimmed)) return null;
  const host = asciiHost(trimmed.slice(trimmed.lastIndexOf("@") + 1));
  if (host === null) return null;
  const domain = domainOf(host);
  if (domain === null) return null;
  return { domain, personal: isPersonalMailHost(host, domain) };
}

/** True when the (registrable) domain is a personal mail service, e.g. for a stored email_domain. */
export function isPersonalMailDomain(domain: string): boolean {
  const host = asciiHost(domain);
  return host !== null && isPersonalMailHost(host, domainOf(host) ?? undefined);
}

/**
 * The registrable domain of a domain, host or URL a user typed for an account:
 * "https://www.Acme.co.uk/pricing" → "acme.co.uk". Null for IPs, bare suffixes ("co.uk"),
 * single labels ("localhost") and garbage.
 */
export function registrableDomain(hostOrDomain: string): string | null {
  if (typeof hostOrDomain !== "string") return null;
  const input = hostOrDomain.trim();
  if (input === "" || /\s/.test(input)) return null;
  // Give scheme-less input a scheme so the URL parser strips path, port and credentials.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return null;
  }
  const ascii = asciiHost(host);
  return ascii === null ? null : domainOf(ascii);
}

const encoder = new TextEncoder();

/** The form every email is hashed in: the same person on every device hashes alike. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

// One deployment has one secret: its imported key is kept for the isolate's life.
let hmacKey: { secret: string; key: Promise<CryptoKey> } | null = null;

function keyFor(secret: string): Promise<CryptoKey> {
  if (hmacKey?.secret !== secret) {
    hmacKey = { secret, key: crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
  }
  return hmacKey.key;
}

/**
 * HMAC-SHA256 hex of the trimmed, lower-cased email under the deployment's HASH_SECRET (SPEC
 * §13): without the secret, a list of candidate addresses cannot be hashed to find a person.
 */
export async function hashEmail(email: string, secret: string): Promise<string> {
  if (!secret) throw new Error("hashEmail needs the deployment's HASH_SECRET");
  return keyedHash(normalizeEmail(email), secret);
}

/** HMAC-SHA256 hex of any text under HASH_SECRET (the suppression list keys identifiers with it too). */
export async function keyedHash(text: string, secret: string): Promise<string> {
  if (!secret) throw new Error("keyedHash needs the deployment's HASH_SECRET");
  return hex(await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(text)));
}

/** Plain SHA-256 hex of the normalized email: the hash people were first stored under, kept
 *  only so the pipeline can move them to the keyed hash (never stored). */
export async function legacyEmailHash(email: string): Promise<string> {
  return sha256Hex(normalizeEmail(email));
}

// Lower-case, trailing dot dropped, IDN → punycode (the URL parser does IDNA), so "Bücher.de"
// and "xn--bcher-kva.de" are one account.
function asciiHost(raw: string): string | null {
  const stripped = raw.trim().replace(/\.$/, "");
  // No IPv6 literals, and nothing the URL parser would quietly cut off (path, port, query).
  if (stripped === "" || /[[\]/?#:\\@%]/.test(stripped)) return null;
  try {
    const host = new URL(`http://${stripped}`).hostname;
    return host === "" ? null : host;
  } catch {
    return null;
  }
}

function domainOf(host: string): string | null {
  const p = parse(host);
  if (p.isIp || p.domain === null) return null;
  return p.domain.toLowerCase();
}
