import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// SPEC §12: no read model reads the raw event log back from D1. The only code that may name the
// first version's event tables is the upgrade that moves their rows to R2.
const ROOT = path.resolve(import.meta.dirname, "../../../collector");
const UPGRADE = path.join(ROOT, "storage/legacy.ts");
const RAW_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE)\s+[`"]?(?:legacy_)?(?:events|rejects|dead_letters)\b/i;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") ? [full] : [];
  });
}

describe("the raw event log", () => {
  it("is read by no SQL in collector/ except the upgrade that moves it to R2", () => {
    const offenders = files(ROOT)
      .filter((f) => f !== UPGRADE && !f.endsWith(".generated.ts"))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").map((line, i) => ({ f, i, line })))
      // Code, not prose: comments may say "fires from events".
      .filter(({ line }) => !/^\s*(\/\/|\/?\*)/.test(line) && RAW_TABLE.test(line))
      .map(({ f, i, line }) => `${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
    // The pattern does catch such a line (so the test can fail).
    expect(RAW_TABLE.test("SELECT data FROM events WHERE seq > ?1")).toBe(true);
    expect(readFileSync(UPGRADE, "utf8")).toMatch(RAW_TABLE);
  });
});
