import { describe, expect, it } from "vitest";
import { nextRetry, retryDelays } from "../../../collector/signals/schedule";

describe("nextRetry", () => {
  it("waits 10 s, 30 s, 1 min, 5 min, 15 min, then an hour", () => {
    const first = 0;
    // Each retry right when it is due (attempts take no time here).
    const delays: number[] = [];
    let now = first;
    for (let failed = 1; failed <= 7; failed++) {
      const d = nextRetry(failed, first, now)!;
      delays.push(d);
      now += d * 1000;
    }
    expect(delays).toEqual([10, 30, 60, 300, 900, 3600, 3600]);
  });

  it("gives up when the next try would fall more than 24 hours after the first: 29 attempts in all", () => {
    // Retries at 10, 40, 100, 400, 1,300 s, then 1,300 + 3,600·m ≤ 86,400 → m ≤ 23: 5 + 23 retries.
    let now = 0;
    let attempts = 1;
    for (let d = nextRetry(attempts, 0, now); d !== null; d = nextRetry(attempts, 0, now)) {
      now += d * 1000;
      attempts++;
    }
    expect(attempts).toBe(29);
    expect(now).toBe((1_300 + 23 * 3_600) * 1000);
  });

  it("counts from the first attempt, so slow receivers do not stretch the 24 hours", () => {
    const first = Date.parse("2026-11-20T00:00:00Z");
    expect(nextRetry(20, first, Date.parse("2026-11-20T22:59:59Z"))).toBe(3600);
    expect(nextRetry(20, first, Date.parse("2026-11-20T23:00:01Z"))).toBeNull();
  });
});

describe("retryDelays", () => {
  it("takes the first delays from ALERT_RETRY_SECONDS and keeps the rest", () => {
    expect(retryDelays(undefined)).toEqual([10, 30, 60, 300, 900]);
    expect(retryDelays("1,2")).toEqual([1, 2, 60, 300, 900]);
    expect(retryDelays("x, 5")).toEqual([10, 5, 60, 300, 900]);
  });
});
