import { describe, expect, it } from "vitest";
import type { EnrichedEvent } from "../../../collector/events";
import { sessionize, type VisitorState } from "../../../collector/pipeline/sessionize";
import { enrichedEvent } from "../../fixtures";

const T0 = Date.UTC(2026, 10, 2, 9, 0);
function ev(id: string, minutes: number, extra: Partial<EnrichedEvent> = {}): EnrichedEvent {
  const timestamp = new Date(T0 + minutes * 60_000).toISOString();
  return enrichedEvent({ message_id: id, site_id: "s", timestamp, received_at: new Date(T0).toISOString(), path: "/", ...extra });
}
const paid = { path: "/pricing", utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", channel: "Paid Search" as const };

describe("sessionize", () => {
  it("splits on a 30-minute gap, not on 30 minutes exactly", () => {
    const { sessions } = sessionize(new Map(), [ev("a", 0), ev("b", 30), ev("c", 61)]);
    // a→b is 30 min (same session); b→c is 31 min (new session).
    expect(sessions.map((s) => [s.id, s.pageviews])).toEqual([["s_a", 2], ["s_c", 1]]);
  });

  it("starts a new session on a new campaign, and not on the same campaign again", () => {
    const { sessions } = sessionize(new Map(), [ev("a", 0), ev("b", 1, paid), ev("c", 2, paid), ev("d", 3)]);
    expect(sessions.map((s) => [s.id, s.channel, s.events])).toEqual([["s_a", "Direct", 1], ["s_b", "Paid Search", 3]]);
  });

  it("takes the touchpoint from the first page view, even when an identify came first", () => {
    const identify = ev("i", 0, { type: "identify", path: null, channel: "Direct" });
    // Same instant with a campaign; a minute later from a search referrer (no campaign, same session).
    const search = { path: "/pricing", referrer_host: "google.com", channel: "Organic Search" as const };
    for (const [page, touch] of [
      [ev("p", 0, paid), { channel: "Paid Search", source: "google", medium: "cpc", campaign: "brand" }],
      [ev("p", 1, search), { channel: "Organic Search", source: "google.com", medium: "organic", campaign: null }],
    ] as const) {
      const { sessions } = sessionize(new Map(), [identify, page]);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ ...touch, landing_page: "/pricing", pageviews: 1, events: 2 });
    }
  });

  it("continues a stored session and gives the same ids on a retry", () => {
    const known = new Map<string, VisitorState>([
      ["v", { anonymous_id: "v", site_id: "s", first_seen: ev("x", -5).timestamp, last_seen: ev("x", -5).timestamp, last_session_id: "s_x", last_campaign: null, user_id: null, is_bot: false }],
    ]);
    const once = sessionize(known, [ev("a", 0), ev("b", 50)]);
    const again = sessionize(known, [ev("b", 50), ev("a", 0)]);
    expect(once.sessions.map((s) => s.id)).toEqual(["s_x", "s_b"]);
    expect(again).toEqual(once);
    expect(once.visitors[0]).toMatchObject({ last_session_id: "s_b", first_seen: ev("x", -5).timestamp });
  });

  it("keeps a late event from moving the visitor's current session", () => {
    const known = new Map<string, VisitorState>([
      ["v", { anonymous_id: "v", site_id: "s", first_seen: ev("x", 0).timestamp, last_seen: ev("x", 120).timestamp, last_session_id: "s_now", last_campaign: null, user_id: null, is_bot: false }],
    ]);
    const { events, visitors } = sessionize(known, [ev("old", 10)]);
    expect(events[0].session_id).toBe("s_old");
    expect(visitors[0].last_session_id).toBe("s_now");
  });
});
