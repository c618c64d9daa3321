import { describe, expect, it } from "vitest";
import { isIssuedWriteKey, siteForWriteKey, WriteKeyCache } from "../../../collector/auth/write-keys";
import type { Site } from "../../../collector/storage/sites";

const site = (id: string): Site => ({ id, name: "Marketing", domains: ["example.com"], write_key: "", created_at: "2026-01-01T00:00:00.000Z" });
// The shape management issues: "wk_" and 24 base64url characters.
const key = (n: number) => `wk_${String(n).padStart(24, "A")}`;

describe("write keys", () => {
  it("takes only the issued shape", () => {
    expect(isIssuedWriteKey("wk_abcdefghijklmnopqrstuvwx")).toBe(true);
    expect(isIssuedWriteKey("wk_abc-efghijklmnopqrst_vwx")).toBe(true);
    for (const bad of ["wk_nope", "wk_abcdefghijklmnopqrstuvwxy", "fh_abcdefghijklmnopqrstuvwx", "wk_abcdefghijklmnopqrstuv x", "", "x".repeat(10_000)]) {
      expect(isIssuedWriteKey(bad), bad.slice(0, 30)).toBe(false);
    }
  });

  it("refuses a key of another shape without asking the database", async () => {
    let lookups = 0;
    const lookup = async () => (lookups++, site("s"));
    expect(await siteForWriteKey("wk_" + "x".repeat(5_000), lookup)).toBeNull();
    expect(lookups).toBe(0);
  });

  it("asks the database once per key a minute, unknown keys included", async () => {
    let lookups = 0;
    const lookup = async (k: string) => (lookups++, k === key(1) ? site("s1") : null);
    const now = 1_000_000;
    expect((await siteForWriteKey(key(1), lookup, now))?.id).toBe("s1");
    expect((await siteForWriteKey(key(1), lookup, now + 1))?.id).toBe("s1");
    expect(await siteForWriteKey(key(2), lookup, now)).toBeNull();
    expect(await siteForWriteKey(key(2), lookup, now + 1)).toBeNull();
    expect(lookups).toBe(2);
    // A minute later the answer is asked again (a new site, a revoked one).
    await siteForWriteKey(key(2), lookup, now + 61_000);
    expect(lookups).toBe(3);
  });

  it("stays within its byte budget however many unknown keys arrive, oldest out first", () => {
    const cache = new WriteKeyCache(10_000);
    for (let i = 0; i < 5_000; i++) cache.set(key(i), null, 0);
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    // Each entry: 64 + 2 × 27 = 118 bytes, so 84 fit.
    expect(cache.size).toBe(Math.floor(10_000 / 118));
    expect(cache.get(key(4_999), 1)).toEqual({ site: null });
    expect(cache.get(key(0), 1)).toBeUndefined();
  });
});
