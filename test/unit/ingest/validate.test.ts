import { describe, expect, it } from "vitest";
import { validateEvent } from "../../../collector/ingest/validate";

// SPEC §3: an event may be at most 32 KB of UTF-8 as sent.

const RECEIVED = Date.parse("2026-11-23T08:00:07.000Z");
const newId = () => "generated";

describe("validateEvent's size limit", () => {
  const base = { type: "track", event: "Viewed", messageId: "m-size", anonymousId: "a1" };
  const sized = (text: string) => validateEvent({ ...base, properties: { text } }, RECEIVED, newId);

  it("counts UTF-8 bytes, not characters: 11,000 euro signs are 33,000 bytes and refused", () => {
    // "€" is one UTF-16 unit and three UTF-8 bytes. The envelope around the text,
    // {"type":"track","event":"Viewed","messageId":"m-size","anonymousId":"a1","properties":{"text":""}},
    // is 16 + 17 + 21 + 19 + 22 + 3 = 98 bytes.
    expect(sized("€".repeat(11_000))).toMatchObject({ ok: false, code: "event_too_large", reason: "An event may be at most 32 KB; this one is 33098 bytes." });
    // 10,800 of them are 32,400 + 98 = 32,498 bytes: under 32,768.
    expect(sized("€".repeat(10_800))).toMatchObject({ ok: true });
    // Plain ASCII: 32,670 characters are 32,768 bytes with the envelope, the limit itself.
    expect(sized("x".repeat(32_670))).toMatchObject({ ok: true });
    expect(sized("x".repeat(32_671))).toMatchObject({ ok: false, code: "event_too_large", reason: "An event may be at most 32 KB; this one is 32769 bytes." });
  });
});
