import { gzipSync, deflateSync, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bodyEncoding, inflateLimited, sniffFormat } from "../../../collector/http/inflate";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("compressed request bodies", () => {
  it("names the encodings it takes", () => {
    expect([undefined, "", "identity", "GZIP", " x-gzip ", "deflate"].map(bodyEncoding)).toEqual(["identity", "identity", "identity", "gzip", "gzip", "deflate"]);
    expect(bodyEncoding("br")).toBeNull();
    expect(bodyEncoding("gzip, br")).toBeNull();
  });

  it("tells gzip, zlib deflate, raw deflate and already-inflated JSON apart", () => {
    const json = Buffer.from('{"batch":[]}');
    expect(sniffFormat("gzip", gzipSync(json))).toBe("gzip");
    expect(sniffFormat("gzip", json)).toBe("plain");
    expect(sniffFormat("gzip", Buffer.from("garbage"))).toBeNull();
    expect(sniffFormat("deflate", deflateSync(json))).toBe("deflate");
    expect(sniffFormat("deflate", deflateRawSync(json))).toBe("deflate-raw");
  });

  it("inflates gzip and both kinds of deflate", async () => {
    const json = JSON.stringify({ batch: Array.from({ length: 50 }, (_, i) => ({ type: "track", event: `e${i}` })) });
    for (const [format, bytes] of [["gzip", gzipSync(json)], ["deflate", deflateSync(json)], ["deflate-raw", deflateRawSync(json)]] as const) {
      const r = await inflateLimited(bytes, format, 500 * 1024);
      expect(r.ok && text(r.bytes), format).toBe(json);
    }
  });

  it("stops a bomb soon after the limit instead of inflating it whole", async () => {
    // 64 MB of zeros gzip to ~64 KB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = await inflateLimited(bomb, "gzip", 500 * 1024);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe("too_large");
    // At most the limit plus what one 1 KB slice of input can inflate to (deflate's ~1,032:1).
    expect(r.inflated).toBeLessThan(500 * 1024 + 1032 * 1024 + 64 * 1024);
  });

  it("calls corrupt and truncated streams corrupt", async () => {
    const good = gzipSync(JSON.stringify({ a: "x".repeat(5_000) }));
    const flipped = Uint8Array.from(good);
    flipped[20] ^= 0xff;
    flipped[21] ^= 0xff;
    expect(await inflateLimited(flipped, "gzip", 500 * 1024)).toMatchObject({ ok: false, reason: "corrupt" });
    expect(await inflateLimited(good.subarray(0, good.length - 10), "gzip", 500 * 1024)).toMatchObject({ ok: false, reason: "corrupt" });
  });
});
