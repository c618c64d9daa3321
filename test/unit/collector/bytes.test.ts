import { describe, expect, it } from "vitest";
import { utf8Bytes } from "../../../collector/bytes";

describe("utf8Bytes", () => {
  it("counts bytes as TextEncoder does", () => {
    for (const s of ["", "abc", "é", "漢字", "😀", "a😀b", "\ud800", "x\udc00y", "漢".repeat(30_000)]) {
      expect(utf8Bytes(s), JSON.stringify(s.slice(0, 10))).toBe(new TextEncoder().encode(s).length);
    }
  });
});
