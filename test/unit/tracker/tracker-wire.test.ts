import { describe, expect, it } from "vitest";
import { fromTrackerPayload, readTrackerEnvelope, trackerEvents } from "../../../collector/ingest/tracker-wire";
import type { TrackerPayload } from "../../../collector/protocol";

// The snippet's compact events become the Segment events the rest of the collector knows.

const TS = Date.UTC(2026, 10, 23, 12, 0, 0); // 2026-11-23T12:00:00.000Z
const URL_ = "https://www.example.com/pricing?plan=team#faq";

function convert(events: TrackerPayload["e"]) {
  const result = fromTrackerPayload({ k: "wk_1", a: "visitor-1", e: events });
  if ("error" in result) throw new Error(result.error);
  expect(result.writeKey).toBe("wk_1");
  return result.events;
}

const common = { messageId: "m1", anonymousId: "visitor-1", timestamp: Date.parse("2026-11-23T12:00:00.000Z") };

describe("fromTrackerPayload", () => {
  it("turns a page view into a Segment page call with context.page", () => {
    const [e] = convert([{ i: "m1", t: "page", ts: TS, u: URL_, r: "https://www.google.com/", ti: "Pricing" }]);
    expect(e).toEqual({
      ...common,
      type: "page",
      properties: {},
      context: {
        page: { url: URL_, path: "/pricing", referrer: "https://www.google.com/", title: "Pricing" },
        library: { name: "foothold" },
      },
    });
  });

  it("turns custom track, identify and group calls into their Segment types", () => {
    const [track, idEmail, idObject, group] = convert([
      { i: "m1", t: "track", ts: TS, u: URL_, n: "Demo Booked", p: { plan: "team" } },
      { i: "m2", t: "identify", ts: TS, u: URL_, n: "jane@acme.com" },
      { i: "m3", t: "identify", ts: TS, u: URL_, n: { email: "jane@acme.com", userId: "u-7", traits: { plan: "pro" } } },
      { i: "m4", t: "group", ts: TS, u: URL_, n: "acme.com", p: { name: "Acme" } },
    ]);
    expect(track).toMatchObject({ type: "track", event: "Demo Booked", properties: { plan: "team" }, context: { page: { url: URL_ } } });
    expect(idEmail).toMatchObject({ type: "identify", traits: { email: "jane@acme.com" } });
    expect(idEmail.userId).toBeUndefined();
    expect(idObject).toMatchObject({ type: "identify", userId: "u-7", traits: { plan: "pro", email: "jane@acme.com" } });
    expect(group).toMatchObject({ type: "group", groupId: "acme.com", traits: { name: "Acme" } });
  });

  it("names the automatic events and gives form events the form and its unique field names", () => {
    const form = { n: [null, "contact", "/thanks"], l: ["email", "topic", "topic", "company"] };
    const events = convert([
      { i: "s1", t: "s", ts: TS, u: URL_, ...form },
      { i: "f1", t: "f", ts: TS, u: URL_, n: ["signup", "ignored-name", "/x"], l: ["email"] },
      { i: "a1", t: "a", ts: TS, u: "https://www.example.com/old", n: [null, null, null], l: [] },
      { i: "o1", t: "d", ts: TS, u: URL_, n: "https://github.com/acme" },
      { i: "d1", t: "d", ts: TS, u: URL_, n: "https://www.example.com/whitepaper.pdf" },
    ]);
    expect(events.map((e) => [e.type, e.event, e.properties])).toEqual([
      // form name: id absent (null), so the name attribute "contact"; "topic" once
      ["track", "form_start", { form: "contact", fields: ["email", "topic", "company"] }],
      ["track", "form_submit", { form: "signup", fields: ["email"] }],
      ["track", "form_abandon", { form: null, fields: [] }],
      ["track", "outbound", { url: "https://github.com/acme" }],
      ["track", "download", { url: "https://www.example.com/whitepaper.pdf" }],
    ]);
    // the abandon belongs to the page that was left, not the one being shown
    expect(events[2].context).toMatchObject({ page: { url: "https://www.example.com/old", path: "/old" } });
  });

  it("decides what a link click was: outbound, a download by its extension, or nothing", () => {
    const click = (i: string, n: string, u = URL_) => ({ i, t: "d" as const, ts: TS, u, n });
    const events = convert([
      click("c1", "https://docs.example.com/start"), // another host, same site: still outbound
      click("c2", "https://www.example.com/files/Price-List.XLSX?v=2"),
      click("c3", "https://www.example.com/about.html"), // a page of the site: no event
      click("c4", "https://www.example.com/pricing"),
      click("c5", "https://www.example.com:8443/setup.exe"), // the port makes it another host
      click("c6", "not a url"),
      // older snippets decided outbound themselves
      { i: "c7", t: "o", ts: TS, u: URL_, n: "https://github.com/acme" },
    ]);
    expect(events.map((e) => [e.messageId, e.event, e.properties])).toEqual([
      ["c1", "outbound", { url: "https://docs.example.com/start" }],
      ["c2", "download", { url: "https://www.example.com/files/Price-List.XLSX?v=2" }],
      ["c5", "outbound", { url: "https://www.example.com:8443/setup.exe" }],
      ["c7", "outbound", { url: "https://github.com/acme" }],
    ]);
  });

  it("gives every event the request's send time, for clock correction", () => {
    const result = fromTrackerPayload({ k: "wk", a: "v", t: TS + 5_000, e: [{ i: "m1", t: "page", ts: TS, u: URL_ }, { i: "m2", t: "track", ts: TS + 1, u: URL_, n: "X" }] });
    if ("error" in result) throw new Error(result.error);
    expect(result.events.map((e) => [e.timestamp, e.sentAt])).toEqual([[TS, TS + 5_000], [TS + 1, TS + 5_000]]);
  });

  it("reads the envelope: the snippet's visitor id, its no-cookie flag, and records events under the id given", () => {
    const envelope = readTrackerEnvelope({ k: "wk", a: "snippet-id", g: true, e: [{ i: "m1", t: "page", ts: TS, u: URL_ }] });
    if ("error" in envelope) throw new Error(envelope.error);
    expect(envelope).toMatchObject({ writeKey: "wk", anonymousId: "snippet-id", cookie: false });
    expect(readTrackerEnvelope({ k: "wk", a: "v", e: [] })).toMatchObject({ cookie: true });
    expect(trackerEvents(envelope, "cookie-id").map((e) => e.anonymousId)).toEqual(["cookie-id"]);
    expect(trackerEvents(envelope).map((e) => e.anonymousId)).toEqual(["snippet-id"]);
  });

  it("reports engagement as whole milliseconds and a scroll percentage clamped to 100", () => {
    const [a, b] = convert([
      { i: "e1", t: "e", ts: TS, u: URL_, m: 15_000.4, s: 104 },
      // the snippet sends the scroll fraction as measured
      { i: "e2", t: "e", ts: TS, u: URL_, m: 2_500, s: 36.6 },
    ]);
    expect(a).toMatchObject({ type: "track", event: "engagement", properties: { engaged_ms: 15_000, scroll_pct: 100 } });
    expect(b.properties).toEqual({ engaged_ms: 2_500, scroll_pct: 37 });
  });

  it("refuses a body without write key, visitor id or event list, saying which", () => {
    expect(fromTrackerPayload("hello")).toEqual({ error: "The body must be a JSON object {k, a, e}." });
    expect(fromTrackerPayload({ a: "v", e: [] })).toMatchObject({ error: expect.stringContaining("`k`") });
    expect(fromTrackerPayload({ k: "wk", e: [] })).toMatchObject({ error: expect.stringContaining("`a`") });
    expect(fromTrackerPayload({ k: "wk", a: "v", e: {} })).toMatchObject({ error: expect.stringContaining("`e`") });
  });

  it("passes malformed events on for validation to reject instead of dropping them", () => {
    const result = fromTrackerPayload({ k: "wk", a: "v", e: [42, { i: "x", t: "bogus", ts: "yesterday", u: 7 }] });
    if ("error" in result) throw new Error(result.error);
    expect(result.events[0]).toBe(42);
    expect(result.events[1]).toMatchObject({ type: "bogus", timestamp: "yesterday", context: { page: {} } });
  });
});
