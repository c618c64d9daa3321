import { describe, expect, it } from "vitest";
import { buildTracker } from "../../../scripts/build-tracker.mjs";
import { GZIP_BUDGET, measure } from "../../../scripts/size.mjs";

// SPEC §9: the built, minified s.js is at most 1,400 bytes with `gzip -9`. Bytes are exact,
// so this is a real test, not a benchmark.

describe("tracker size", () => {
  it("builds s.js within 1,400 bytes of gzip -9", async () => {
    const code: string = await buildTracker();
    const size: { raw: number; gzip: number; brotli: number } = measure(code);
    expect(GZIP_BUDGET).toBe(1400);
    expect(size.gzip, `s.js is ${size.gzip} B gzip -9 (raw ${size.raw} B)`).toBeLessThanOrEqual(1400);
  });

  it("serves the same build the collector embeds", async () => {
    const { TRACKER_JS } = await import("../../../collector/http/tracker-bundle.generated");
    expect(TRACKER_JS, "run `npm run build:tracker`").toBe(await buildTracker());
  });
});
