import { describe, expect, it } from "vitest";
import { journeyEvents } from "../../../collector/marketing/journey";

// Marks: [tenths of a second after the previous mark, code (kind & 7: 0 page, 1 engagement, 3 form_submit), page id].
const session = (id: number, anonymous_id: string, started_at: string, ended_at: string, marks: unknown[]) => ({
  id, anonymous_id, started_at, ended_at, channel: "Direct", source: null, medium: null, campaign: null, landing_page: "/", pageviews: 2, marks: JSON.stringify(marks),
});

describe("journeyEvents", () => {
  const sessions = [
    // pages /pricing at 10:00:00, /demo at 10:05:00 (3,000 tenths later), an engagement report in between
    session(1, "v1", "2026-03-01T10:00:00.000Z", "2026-03-01T10:05:00.000Z", [[0, 0, 1], [1200, 1, 300], [1800, 0, 2]]),
    session(2, "v2", "2026-03-03T09:00:00.000Z", "2026-03-03T09:00:00.000Z", [[0, 0, 1]]),
  ];
  const paths = new Map([[1, "/pricing"], [2, "/demo"]]);
  const people = new Map([["v1", "p1"], ["v2", null]]);
  const moments = [
    { anonymous_id: "v1", at: "2026-03-01T10:05:00.000Z", kind: "form_submit", detail: JSON.stringify({ form: "demo-request", fields: ["email"], path: "/demo" }) },
    { anonymous_id: "v1", at: "2026-03-01T10:04:00.000Z", kind: "identify", detail: "{}" },
    { anonymous_id: "v2", at: "2026-03-04T09:00:00.000Z", kind: "form_start", detail: "{}" },
  ];

  it("lists page views from marks and forms from moments, oldest first, with person and session", () => {
    const events = journeyEvents(sessions, moments, paths, people, Date.parse("2026-03-10T00:00:00Z"));
    expect(events).toEqual([
      { at: "2026-03-01T10:00:00.000Z", kind: "page_view", path: "/pricing", form: null, anonymous_id: "v1", person_id: "p1", session_id: 1 },
      { at: "2026-03-01T10:05:00.000Z", kind: "page_view", path: "/demo", form: null, anonymous_id: "v1", person_id: "p1", session_id: 1 },
      { at: "2026-03-01T10:05:00.000Z", kind: "form_submit", path: "/demo", form: "demo-request", anonymous_id: "v1", person_id: "p1", session_id: 1 },
      { at: "2026-03-03T09:00:00.000Z", kind: "page_view", path: "/pricing", form: null, anonymous_id: "v2", person_id: null, session_id: 2 },
      // outside any session's span: no session id
      { at: "2026-03-04T09:00:00.000Z", kind: "form_start", path: null, form: null, anonymous_id: "v2", person_id: null, session_id: null },
    ]);
  });

  it("stops at the journey's end, inside a session too", () => {
    const events = journeyEvents(sessions, moments, paths, people, Date.parse("2026-03-01T10:03:00Z"));
    expect(events.map((e) => e.path)).toEqual(["/pricing"]);
  });
});
