// Which stored lines belong to an erased person (SPEC §13). Pure: the erasure's scan, the
// export's filter while an erasure runs, and the suppression hook all ask these questions.
import type { Identifier, KeyKind } from "../storage/privacy";

export type { Identifier, KeyKind };
export const KEY_KINDS: readonly KeyKind[] = ["anonymous_id", "user_id", "email_hash"];

/** What one erasure (or several) looks for, by kind. */
export interface ErasedKeys {
  anonymous_id: ReadonlySet<string>;
  user_id: ReadonlySet<string>;
  email_hash: ReadonlySet<string>;
}

export function erasedKeys(ids: Iterable<Identifier>): ErasedKeys {
  const out = { anonymous_id: new Set<string>(), user_id: new Set<string>(), email_hash: new Set<string>() };
  for (const id of ids) out[id.kind].add(id.value);
  return out;
}

export const isEmpty = (k: ErasedKeys) => k.anonymous_id.size === 0 && k.user_id.size === 0 && k.email_hash.size === 0;

/** The fields of an event row that name its person: the same in the queue, the archive and Parquet. */
export interface PersonFields {
  anonymous_id?: string | null;
  user_id?: string | null;
  email_hash?: string | null;
  /** alias: the id the person had before */
  previous_id?: string | null;
}

/** The identifiers an event carries; an alias's previous id may be either kind of id. */
export function eventIdentifiers(e: PersonFields): Identifier[] {
  const out: Identifier[] = [];
  if (e.anonymous_id) out.push({ kind: "anonymous_id", value: e.anonymous_id });
  if (e.user_id) out.push({ kind: "user_id", value: e.user_id });
  if (e.email_hash) out.push({ kind: "email_hash", value: e.email_hash });
  if (e.previous_id) out.push({ kind: "anonymous_id", value: e.previous_id }, { kind: "user_id", value: e.previous_id });
  return out;
}

export const eventMatches = (e: PersonFields, keys: ErasedKeys): boolean => eventIdentifiers(e).some((id) => keys[id.kind].has(id.value));

// A refused event is kept as the text that was sent (redacted, cut at 32 KB, so maybe not JSON any
// more): its ids are read by name, and any 64-hex string may be an email's hash (redaction puts
// one wherever an address was).
const ID_FIELDS: Record<string, KeyKind[]> = {
  anonymousId: ["anonymous_id"],
  anonymous_id: ["anonymous_id"],
  userId: ["user_id"],
  user_id: ["user_id"],
  previousId: ["anonymous_id", "user_id"],
  previous_id: ["anonymous_id", "user_id"],
};
const NAMED_ID = /"(anonymousId|anonymous_id|userId|user_id|previousId|previous_id)"\s*:\s*(?:"((?:[^"\\]|\\.){0,400})"|(-?\d{1,20}))/g;
const HASH = /\b[0-9a-f]{64}\b/g;

/** The identifiers a refused event's payload text names (at most a few hundred, for hostile text). */
export function rejectIdentifiers(payload: string): Identifier[] {
  const out: Identifier[] = [];
  // Escaped quotes inside the payload (a JSON string in JSON) are read as plain ones.
  const text = payload.length > 40_000 ? payload.slice(0, 40_000) : payload;
  for (const m of text.matchAll(NAMED_ID)) {
    let value = m[3] ?? m[2] ?? "";
    if (m[2] !== undefined && value.includes("\\")) {
      try {
        value = JSON.parse(`"${value}"`) as string;
      } catch {
        // a cut escape: compare the text as it is
      }
    }
    if (value !== "") for (const kind of ID_FIELDS[m[1]]) out.push({ kind, value });
    if (out.length > 300) break;
  }
  for (const m of text.matchAll(HASH)) {
    out.push({ kind: "email_hash", value: m[0] });
    if (out.length > 600) break;
  }
  return out;
}

export const rejectMatches = (r: { payload: string }, keys: ErasedKeys): boolean => rejectIdentifiers(r.payload).some((id) => keys[id.kind].has(id.value));

/**
 * An NDJSON object without the lines `matches` picks. Kept lines keep their exact text; a line
 * that is not JSON is kept (never dropped over a parse error). `lines` counts what remains.
 */
export function withoutLines(text: string, matches: (row: Record<string, unknown>) => boolean): { text: string; lines: number; removed: number } {
  const kept: string[] = [];
  let removed = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      kept.push(line);
      continue;
    }
    if (typeof row === "object" && row !== null && matches(row as Record<string, unknown>)) removed++;
    else kept.push(line);
  }
  return { text: kept.length ? kept.join("\n") + "\n" : "", lines: kept.length, removed };
}

/** Characters JSON text escapes: an id holding one may not appear in the text as it is. */
const ESCAPED = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
/** Past this many ids, substring tests cost more than parsing the lines. */
const MAX_SUBSTRING_TESTS = 64;

/**
 * False only when no identifier can be in the text: a cheap test before parsing its lines. True
 * (parse and look) when there are many ids or one that JSON would escape.
 */
export function mayMention(text: string, keys: ErasedKeys): boolean {
  if (keys.anonymous_id.size + keys.user_id.size + keys.email_hash.size > MAX_SUBSTRING_TESTS) return true;
  for (const kind of KEY_KINDS) for (const v of keys[kind]) if (ESCAPED.test(v) || text.includes(v)) return true;
  return false;
}
