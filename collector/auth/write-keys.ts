import type { Site } from "../storage/sites";

// Write keys are public (they sit in every page's snippet) and arrive on every ingest request,
// so junk must cost nothing: a key not of the issued shape is refused before any D1 lookup, and
// the lookups' answers (unknown keys too) are cached per isolate within a byte budget.

/** management issues `randomToken("wk_", 18)`: "wk_" and 18 random bytes in base64url (24 characters) */
const ISSUED_SHAPE = /^wk_[A-Za-z0-9_-]{24}$/;

export const isIssuedWriteKey = (key: string): boolean => ISSUED_SHAPE.test(key);

const TTL_MS = 60_000;
/** A few hundred sites or ~3,000 unknown keys; a site's domains count toward it. */
export const CACHE_BUDGET_BYTES = 256 * 1024;
/** what a Map entry and its record cost beyond their strings, roughly */
const ENTRY_OVERHEAD = 64;

interface Entry {
  site: Site | null;
  until: number;
  bytes: number;
}

/** Sites by write key, bounded by bytes; the oldest entries go first. */
export class WriteKeyCache {
  private entries = new Map<string, Entry>();
  private used = 0;

  constructor(private readonly budget = CACHE_BUDGET_BYTES) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now: number): { site: Site | null } | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.delete(key);
      return undefined;
    }
    return { site: hit.site };
  }

  set(key: string, site: Site | null, now: number): void {
    this.delete(key);
    // Strings are UTF-16 in memory: two bytes a character.
    const bytes = ENTRY_OVERHEAD + 2 * (key.length + (site ? site.id.length + site.name.length + site.domains.join("").length + site.created_at.length : 0));
    if (bytes > this.budget) return;
    while (this.used + bytes > this.budget) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
    this.entries.set(key, { site, until: now + TTL_MS, bytes });
    this.used += bytes;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.used -= e.bytes;
  }
}

const cache = new WriteKeyCache();

/** The site of a write key, or null: unknown, or not a key this collector could have issued. */
export async function siteForWriteKey(key: string, lookup: (key: string) => Promise<Site | null>, now = Date.now()): Promise<Site | null> {
  if (!isIssuedWriteKey(key)) return null;
  const hit = cache.get(key, now);
  if (hit) return hit.site;
  const site = await lookup(key);
  cache.set(key, site, now);
  return site;
}
