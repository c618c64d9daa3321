// What the snippet learns once, at load: its <script> tag, storage and the privacy signals.
// Every module reads these; nothing here is re-read later (currentScript is null after load).

/** Aliases: the minifier renames locals but not globals, and these appear everywhere. */
export const doc = document;
export const loc = location;

const script = doc.currentScript as HTMLScriptElement;
const attr = (name: string) => script.getAttribute("data-" + name);

export const writeKey = attr("key");
/** data-api is a base URL (origin, optionally with a path prefix); events go to `${base}/e`. */
export const endpoint = (attr("api") || new URL(script.src).origin) + "/e";
export const local = attr("local") != null;

/** Global Privacy Control: nothing identifying survives the page, no form email is read. */
export const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl;

type Store = Record<string, string | undefined>;
let persistent: Store = {};
try {
  // Throws when storage is blocked (sandboxed iframes, some privacy modes): memory then.
  persistent = localStorage as unknown as Store;
} catch {}
/** Survives loads even under GPC: only the opt-out flag is kept here (it identifies no one). */
export const prefs = persistent;
/** The visitor id and the retry store: memory only under GPC. */
export const store: Store = gpc ? {} : persistent;

/** Writes never throw into the page (quota exceeded, storage disabled mid-session). */
export const put = (s: Store, key: string, value?: string) => {
  try {
    value == null ? delete s[key] : (s[key] = value);
  } catch {}
  return value;
};

/** 50+ random bits and the time: unique enough for messageId dedupe, and works without crypto.randomUUID (http pages). */
export const uid = () => Date.now().toString(36) + Math.random().toString(36).slice(2);

/** The page without its fragment: anchor jumps are not new pages. */
export const pageUrl = () => loc.href.split("#")[0];

/** Wraps a handler so nothing ever throws into the host page. */
export const safe =
  <A extends unknown[]>(f: (...args: A) => unknown) =>
  (...args: A) => {
    try {
      f(...args);
    } catch {}
  };

// Handlers get `any`: they read DOM targets whose exact type they check themselves.
export const on = (target: EventTarget, type: string, f: (e: any) => unknown) => target.addEventListener(type, safe(f), true);
