// Redaction at ingest (SPEC §13), before anything is queued or stored: email addresses anywhere
// become their hash, values of secret-named keys are dropped, URL fragments are dropped (a
// hash-router route like `#/pricing` is kept), and query parameters that carry an email or a
// secret-like name are removed; UTM parameters and click ids are kept.
//
// Pure and synchronous: the hash of an email is asked of `hash` (normalized address in, hash
// out). `withEmailHashes` runs a redaction once to learn which addresses it met, hashes them
// (HMAC is async), and runs it again only when there were any.
import type { ValidEvent } from "./validate";

/** normalized (trimmed, lower-case) email → its hash */
export type EmailHasher = (email: string) => string;

// Loose on purpose: a leak is worse than hashing something that was not quite an address.
// `%40` is an encoded "@" (query strings, paths); the top-level domain is letters or punycode.
// The local part starts and ends with a letter, digit, _, + or -, so quotes, "=" and dots
// around an address are not taken into it (the same address hashes alike wherever it sits).
// Bounded repeats (RFC 5321 lengths) keep the match linear on hostile 32 KB strings.
const EMAIL_SOURCE = String.raw`[\p{L}\p{N}_+-](?:[\p{L}\p{N}._+'-]{0,62}[\p{L}\p{N}_+-])?(?:@|%40)[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){0,8}\.(?:\p{L}{2,63}|xn--[\p{L}\p{N}-]{1,59})`;
const EMAIL_ALL = new RegExp(EMAIL_SOURCE, "giu");
const EMAIL_ANY = new RegExp(EMAIL_SOURCE, "iu");

/** Cheap test before any regex: nearly every string has neither. */
const mayHoldEmail = (s: string) => s.includes("@") || s.includes("%40");
const normalize = (email: string) => email.replace(/%40/i, "@").trim().toLowerCase();

export const hasEmail = (s: string): boolean => mayHoldEmail(s) && EMAIL_ANY.test(s);

/** Every email address in the text replaced by its hash. */
export function redactText(s: string, hash: EmailHasher): string {
  if (!mayHoldEmail(s)) return s;
  return s.replace(EMAIL_ALL, (m) => hash(normalize(m)));
}

// Secret-like names, compared without case and separators: "API-Key", "api_key" and "apiKey"
// are one name. Fragments anywhere in the name, or whole words of it (camelCase, _ . - split).
const SECRET_FRAGMENTS = ["password", "passwd", "passphrase", "secret", "token", "apikey", "authorization", "cvv", "cvc", "cardnumber", "creditcard", "privatekey", "signature"];
const SECRET_WORDS = new Set(["card", "cc", "pwd", "pass", "auth", "sig", "ssn", "otp"]);
const EMAIL_FRAGMENTS = ["email", "e_mail", "mail"];
/** Kept even though a rule might match them: they are what attribution runs on. */
const KEPT_PARAMS = new Set(["gclid", "gbraid", "wbraid", "dclid", "msclkid", "li_fat_id", "fbclid", "ttclid"]);

const nameCache = new Map<string, boolean>();

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `password`, `api_key`, `accessToken`, `Authorization`, `card_number`, `cvv`… (any case). */
export function isSecretName(name: string): boolean {
  const cached = nameCache.get(name);
  if (cached !== undefined) return cached;
  const parts = words(name);
  const joined = parts.join("");
  const secret = !KEPT_PARAMS.has(name.toLowerCase()) && (SECRET_FRAGMENTS.some((f) => joined.includes(f)) || parts.some((w) => SECRET_WORDS.has(w)));
  // Bounded: names come from clients, and a hostile one could send endless distinct keys.
  if (nameCache.size > 5_000) nameCache.clear();
  nameCache.set(name, secret);
  return secret;
}

const isEmailName = (name: string) => {
  const n = name.toLowerCase();
  return EMAIL_FRAGMENTS.some((f) => n.includes(f));
};

const isKeptParam = (name: string) => {
  const n = name.toLowerCase();
  return n.startsWith("utm_") || KEPT_PARAMS.has(n);
};

/** Percent-decoded, never throwing; in a query "+" is a space too (not in a path: "jane+tag@…"). */
function decodeLoose(s: string, plusIsSpace = true): string {
  if (!s.includes("%") && !(plusIsSpace && s.includes("+"))) return s;
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, " ") : s);
  } catch {
    return s;
  }
}

const HTTP_URL = /^https?:\/\//i;

/**
 * A query string ("?a=1&b=2" or "a=1&b=2") without the parameters that carry an email or have
 * a secret-like or email-like name. Kept pairs keep their exact text; nested URLs in values
 * (redirect targets) are redacted too.
 */
export function redactSearch(search: string, hash: EmailHasher): string {
  const body = search.startsWith("?") ? search.slice(1) : search;
  if (body === "") return "";
  const kept: string[] = [];
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeLoose(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decodeLoose(pair.slice(eq + 1));
    if (hasEmail(name) || hasEmail(value)) continue;
    if (!isKeptParam(name) && (isSecretName(name) || isEmailName(name))) continue;
    if (HTTP_URL.test(value)) {
      const inner = redactUrl(value, hash);
      kept.push(inner === value ? pair : `${pair.slice(0, eq)}=${encodeURIComponent(inner)}`);
      continue;
    }
    kept.push(pair);
  }
  return kept.length ? `?${kept.join("&")}` : "";
}

/** A path with every segment that holds an email replaced by the hash. */
function redactPath(path: string, hash: EmailHasher): string {
  if (!mayHoldEmail(path)) return path;
  return path
    .split("/")
    .map((seg) => {
      const decoded = decodeLoose(seg, false);
      return hasEmail(decoded) ? encodeURIComponent(redactText(decoded, hash)) : seg;
    })
    .join("/");
}

/** `#/pricing?x=1` or `#!/pricing`: a hash router's route, kept (redacted like a path and query). */
function redactRoute(fragment: string, hash: EmailHasher): string {
  const route = /^#!?\//.exec(fragment);
  if (!route) return "";
  const rest = fragment.slice(route[0].length - 1);
  const q = rest.search(/[?#]/);
  const path = q < 0 ? rest : rest.slice(0, q);
  const search = q < 0 || rest[q] === "#" ? "" : rest.slice(q).split("#")[0];
  return `${route[0].slice(0, -1)}${redactPath(path, hash)}${redactSearch(search, hash)}`;
}

const SCHEME_AUTHORITY = /^(https?:\/\/)([^/?#]*)/i;

/**
 * An http(s) URL, absolute or site-relative ("/signup?token=…"), redacted: no credentials, no
 * fragment but a route, no email or secret query parameters, emails in the path hashed. Split
 * by hand rather than parsed: what is kept keeps its exact text, and it costs a third of `new
 * URL` (enrichment parses the page URL once more anyway, page.ts).
 */
export function redactUrl(url: string, hash: EmailHasher): string {
  // Nothing to remove: no query, fragment, credentials or address.
  if (!url.includes("?") && !url.includes("#") && !mayHoldEmail(url)) return url;
  const head = SCHEME_AUTHORITY.exec(url);
  if (!head && !url.startsWith("/")) return redactText(url, hash);
  let origin = "";
  let rest = url;
  if (head) {
    // user:password@ in a URL is a secret someone pasted by mistake.
    const authority = head[2].slice(head[2].lastIndexOf("@") + 1);
    origin = `${head[1]}${authority}`;
    rest = url.slice(head[0].length);
  }
  const at = rest.indexOf("#");
  const fragment = at < 0 ? "" : rest.slice(at);
  const beforeFragment = at < 0 ? rest : rest.slice(0, at);
  const q = beforeFragment.indexOf("?");
  const path = q < 0 ? beforeFragment : beforeFragment.slice(0, q);
  const search = q < 0 ? "" : beforeFragment.slice(q);
  return `${origin}${redactPath(path, hash)}${redactSearch(search, hash)}${redactRoute(fragment, hash)}`;
}

/** One string value wherever it sits: URLs and query strings as such, the rest as text. */
function redactString(s: string, hash: EmailHasher): string {
  if (HTTP_URL.test(s) || (s.startsWith("/") && !s.startsWith("//") && (s.includes("?") || s.includes("#")))) return redactUrl(s, hash);
  if (s.startsWith("?") && s.includes("=")) return redactSearch(s, hash);
  return redactText(s, hash);
}

/**
 * A JSON value redacted at any depth: secret-named keys dropped (whatever their value), emails in
 * keys and strings hashed, URLs cleaned. Returns the same reference when nothing changed.
 */
export function redactValue(value: unknown, hash: EmailHasher): unknown {
  if (typeof value === "string") return redactString(value, hash);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = redactValue(value[i], hash);
      if (next !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(next);
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  const entries = Object.entries(value as Record<string, unknown>);
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i];
    const secret = isSecretName(key);
    const nextKey = secret ? key : redactText(key, hash);
    const next = secret ? undefined : redactValue(v, hash);
    if (!out && (secret || nextKey !== key || next !== v)) out = Object.fromEntries(entries.slice(0, i));
    if (out && !secret) out[nextKey] = next;
  }
  return out ?? value;
}

const redactId = (id: string | null, hash: EmailHasher) => (id === null ? null : redactText(id, hash));

/** A validated event redacted: ids (an email as userId is common), names, properties, traits and context. */
export function redactEvent(v: ValidEvent, hash: EmailHasher): ValidEvent {
  return {
    ...v,
    anonymousId: redactId(v.anonymousId, hash),
    userId: redactId(v.userId, hash),
    event: redactId(v.event, hash),
    groupId: redactId(v.groupId, hash),
    previousId: redactId(v.previousId, hash),
    properties: redactValue(v.properties, hash) as Record<string, unknown>,
    traits: redactValue(v.traits, hash) as Record<string, unknown>,
    context: redactValue(v.context, hash) as Record<string, unknown>,
  };
}

/** What any hasher answers on the first run; never kept (the second run replaces it). */
const PENDING = "";

/**
 * Runs `redact` with real hashes: a first run records the addresses it meets; with none (nearly
 * every event) its result is the answer, else they are hashed and it runs once more.
 */
export async function withEmailHashes<T>(redact: (hash: EmailHasher) => T, hashOf: (email: string) => Promise<string>): Promise<T> {
  const found = new Set<string>();
  const first = redact((email) => {
    found.add(email);
    return PENDING;
  });
  if (found.size === 0) return first;
  const hashes = new Map(await Promise.all([...found].map(async (e) => [e, await hashOf(e)] as const)));
  return redact((email) => hashes.get(email) ?? PENDING);
}
