// What the snippet learns once, at load: its <script> tag, storage and the privacy signals.
// Every module reads these; nothing here is re-read later (currentScript is null after load).

/** Aliases: the minifier renames locals but not globals, and these appear everywhere. */
export const doc = document;
export const loc = location;

const script = doc.currentScript as HTMLScriptElement;
/** data-key, data-api, data-local */
const data = script.dataset;

export const writeKey = data.key;
/** data-api is the full endpoint URL; by default /e on the origin that served the script. */
export const endpoint = data.api || new URL("/e", script.src);

// Nothing runs on a developer's machine or under automation unless data-local says so: 127.*,
// and hosts without a dot (localhost, [::1], file: pages' empty host, intranet names). The
// build wraps the bundle in try/catch, so this throw stops the snippet and reaches no one.
if (data.local == null && (/^127\.|^[^.]*$/.test(loc.hostname) || navigator.webdriver)) throw 0;

/** Global Privacy Control: nothing identifying survives the page, no form email is read. */
export const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl;

type Store = Record<string, string | undefined>;
/** Survives loads even under GPC: only the opt-out flag is kept here (it identifies no one). */
export let prefs: Store = {};
try {
  // Throws when storage is blocked (sandboxed iframes, some privacy modes): memory then.
  prefs = localStorage as unknown as Store;
} catch {}
/** The visitor id (fh_a) and the retry store (fh_q): memory only under GPC. */
export const store: Store = gpc ? {} : prefs;

/** Writes never throw into the page (quota exceeded, storage disabled mid-session). "" removes the key. */
export const put = (s: Store, key: string, value: string) => {
  try {
    value ? (s[key] = value) : delete s[key];
  } catch {}
  return value;
};

/** The time and 50+ random bits: unique enough for messageId dedupe, and works without crypto.randomUUID (http pages). */
export const uid = () => Date.now() + Math.random().toString(36);

/** Wraps a handler so nothing ever throws into the host page. */
export const safe =
  <A extends unknown[]>(f: (...args: A) => unknown) =>
  (...args: A) => {
    try {
      f(...args);
    } catch {}
  };

/**
 * Every listener sits on window in the capture phase: it sees document events (input, submit,
 * click, visibilitychange) before any page handler can stop them. Handlers get `any`: they read
 * DOM targets whose type they check themselves.
 */
export const on = (type: string, f: (e: any) => unknown) => addEventListener(type, safe(f), true);
