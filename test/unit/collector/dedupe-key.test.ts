import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dedupeKey } from "../../../collector/storage/dedupe";

// The stored key of a message id is the first 80 bits of its SHA-256, as hex: keys already in D1
// (and the ones the first-version mover wrote) must keep matching what the consumer computes.

describe("dedupeKey", () => {
  it("is the first 10 bytes of SHA-256 of the id, as lower-case hex", async () => {
    const ids = ["b12-3-4", "ajs-next-1f0c9e5e", "é-ünïcode-ключ", ""];
    for (const id of ids) {
      expect(await dedupeKey(id)).toBe(createHash("sha256").update(id, "utf8").digest("hex").slice(0, 20));
    }
    // One known answer, from the sha256 command line tool: printf 'b12-3-4' | sha256sum
    expect(await dedupeKey("b12-3-4")).toBe("dcae64bf926caf5b3378");
  });
});
