import { describe, expect, it } from "vitest";
import { correctedTime, validateEvent } from "../../../collector/ingest/validate";

// Segment's clock correction: timestamp = received_at − (sent_at − timestamp). The client's
// clock may be off by hours; the gap between its own event time and its own send time is
// trusted, the absolute times are not.

const at = (iso: string) => Date.parse(iso);
const RECEIVED = at("2026-11-23T08:00:07.000Z");
const newId = () => "generated";

describe("correctedTime", () => {
  it("moves a clock two hours fast back to the true time", () => {
    // The client says the event happened at 10:00:00 and was sent at 10:00:05; it arrived at
    // 08:00:07 by our clock, so it happened 5 s before that: 08:00:02.
    expect(correctedTime(at("2026-11-23T10:00:00.000Z"), at("2026-11-23T10:00:05.000Z"), RECEIVED)).toBe(at("2026-11-23T08:00:02.000Z"));
  });

  it("moves a slow clock forward: a retry sent a day after the event keeps its day", () => {
    // Clock 3 h slow; event at 04:59:00 on the 22nd by that clock, re-sent at 05:00:00 on the 23rd.
    expect(correctedTime(at("2026-11-22T04:59:00.000Z"), at("2026-11-23T05:00:00.000Z"), RECEIVED)).toBe(at("2026-11-22T07:59:07.000Z"));
  });

  it("keeps the client's time when it sent no send time", () => {
    expect(correctedTime(at("2026-11-23T07:30:00.000Z"), null, RECEIVED)).toBe(at("2026-11-23T07:30:00.000Z"));
  });

  it("still clamps a time in the future past five minutes to the receive time", () => {
    // No send time: 10:00 is two hours ahead of 08:00:07.
    expect(correctedTime(at("2026-11-23T10:00:00.000Z"), null, RECEIVED)).toBe(RECEIVED);
    // A send time before the event (a broken client): the correction would land 1 h ahead.
    expect(correctedTime(at("2026-11-23T10:00:00.000Z"), at("2026-11-23T09:00:00.000Z"), RECEIVED)).toBe(RECEIVED);
    // Within the allowed skew the time stands: 08:03:07 is 3 minutes ahead.
    expect(correctedTime(at("2026-11-23T08:03:07.000Z"), null, RECEIVED)).toBe(at("2026-11-23T08:03:07.000Z"));
  });
});

describe("validateEvent with sentAt", () => {
  const base = { type: "track", event: "Signed Up", messageId: "m1", anonymousId: "a1" };

  it("stores the corrected time and keeps the client's original", () => {
    const v = validateEvent({ ...base, timestamp: "2026-11-23T10:00:00.000Z", sentAt: "2026-11-23T10:00:05.000Z" }, RECEIVED, newId);
    expect(v).toMatchObject({ ok: true, event: { timestamp: "2026-11-23T08:00:02.000Z", originalTimestamp: "2026-11-23T10:00:00.000Z" } });
  });

  it("reads epoch milliseconds as the tracker sends them", () => {
    const v = validateEvent({ ...base, timestamp: at("2026-11-23T10:00:00.000Z"), sentAt: at("2026-11-23T10:00:05.000Z") }, RECEIVED, newId);
    expect(v).toMatchObject({ ok: true, event: { timestamp: "2026-11-23T08:00:02.000Z", originalTimestamp: "2026-11-23T10:00:00.000Z" } });
  });

  it("ignores a sentAt that is not a time, and clamps as before", () => {
    const v = validateEvent({ ...base, timestamp: "2026-11-23T10:00:00.000Z", sentAt: "soon" }, RECEIVED, newId);
    expect(v).toMatchObject({ ok: true, event: { timestamp: "2026-11-23T08:00:07.000Z", originalTimestamp: "2026-11-23T10:00:00.000Z" } });
  });

  it("dates an event without a timestamp at its receipt, with no original", () => {
    for (const extra of [{}, { sentAt: "2026-11-23T10:00:05.000Z" }]) {
      const v = validateEvent({ ...base, ...extra }, RECEIVED, newId);
      expect(v).toMatchObject({ ok: true, event: { timestamp: "2026-11-23T08:00:07.000Z", originalTimestamp: null } });
    }
  });

  it("accepts an event from a clock two years slow once corrected, and refuses it without sentAt", () => {
    const event = { ...base, timestamp: "2024-11-23T07:59:00.000Z" };
    expect(validateEvent({ ...event, sentAt: "2024-11-23T08:00:00.000Z" }, RECEIVED, newId)).toMatchObject({
      ok: true,
      event: { timestamp: "2026-11-23T07:59:07.000Z", originalTimestamp: "2024-11-23T07:59:00.000Z" },
    });
    expect(validateEvent(event, RECEIVED, newId)).toMatchObject({ ok: false, code: "too_old" });
  });

  it("refuses a snippet re-send more than 7 days after the event by the client's own clock, and not a backfill", () => {
    const week = 7 * 24 * 3600_000;
    // The client's clock is a day slow; what counts is the gap between its two times.
    const sent = at("2026-11-22T08:00:00.000Z");
    const held = (ms: number) => ({ ...base, timestamp: sent - ms, sentAt: sent });
    expect(validateEvent(held(week), RECEIVED, newId, week)).toMatchObject({ ok: true });
    expect(validateEvent(held(week + 60_000), RECEIVED, newId, week)).toMatchObject({ ok: false, code: "stale_resend" });
    // Without the limit (the Segment paths) a months-old event with a send time of today is a backfill.
    expect(validateEvent(held(90 * 24 * 3600_000), RECEIVED, newId)).toMatchObject({ ok: true, event: { timestamp: "2026-08-25T08:00:07.000Z" } });
  });

  it("refuses a timestamp that is not a time, even with a good sentAt", () => {
    expect(validateEvent({ ...base, timestamp: "garbage", sentAt: "2026-11-23T10:00:05.000Z" }, RECEIVED, newId)).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(validateEvent({ ...base, timestamp: 1e20 }, RECEIVED, newId)).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });
});
