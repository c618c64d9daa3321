import { describe, expect, it } from "vitest";
import type { EnrichedEvent } from "../../../collector/events";
import { dayDeltas } from "../../../collector/pipeline/day-rollups";
import { pendingEvent, recut, SESSION_GAP_MS, type SessionRow } from "../../../collector/pipeline/sessionize";
import { enrichedEvent } from "../../fixtures";

const T0 = Date.UTC(2026, 10, 2, 9, 0);
function ev(id: string, minutes: number, extra: Partial<EnrichedEvent> = {}): EnrichedEvent & { anonymous_id: string } {
  const timestamp = new Date(T0 + minutes * 60_000).toISOString();
  return enrichedEvent({ message_id: id, site_id: "s", anonymous_id: "v", timestamp, received_at: new Date(T0).toISOString(), path: "/", ...extra }) as EnrichedEvent & { anonymous_id: string };
}
const paid = { path: "/pricing", utm_source: "google", utm_medium: "cpc", utm_campaign: "brand", channel: "Paid Search" as const };
const pending = (e: EnrichedEvent & { anonymous_id: string }) => pendingEvent(e, e.type === "page" ? 1 : null, false);

/**
 * A visitor's sessions as the consumer keeps them, batch after batch: each batch reads the stored
 * sessions within 30 minutes of its events (as storage/sessions.ts sessionsNear does) and writes back.
 */
function deliverInBatches(batches: (EnrichedEvent & { anonymous_id: string })[][]): SessionRow[] {
  const stored = new Map<number, SessionRow>();
  let next = 1;
  for (const batch of batches) {
    const times = batch.map((e) => Date.parse(e.timestamp));
    const from = new Date(Math.min(...times) - SESSION_GAP_MS).toISOString();
    const to = new Date(Math.max(...times) + SESSION_GAP_MS).toISOString();
    const near = [...stored.values()].filter((s) => s.started_at <= to && s.ended_at >= from);
    const cut = recut(near, batch.map(pending), next);
    next = cut.nextId;
    for (const id of cut.deletes) stored.delete(id);
    for (const s of cut.upserts) stored.set(s.id, s);
  }
  return [...stored.values()].sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
}
/** What a session is, without the id it happened to get. */
const shape = (s: SessionRow) => ({ started_at: s.started_at, ended_at: s.ended_at, channel: s.channel, campaign: s.campaign, landing_page: s.landing_page, pageviews: s.pageviews, events: s.events, is_bot: s.is_bot, marks: s.marks });

describe("sessions by time", () => {
  it("splits on a 30-minute gap, not on 30 minutes exactly", () => {
    const sessions = deliverInBatches([[ev("a", 0), ev("b", 30), ev("c", 61)]]);
    // a→b is 30 min (same session); b→c is 31 min (new session).
    expect(sessions.map((s) => [s.started_at.slice(11, 16), s.pageviews])).toEqual([["09:00", 2], ["10:01", 1]]);
  });

  it("starts a new session on a new campaign, and not on the same campaign again", () => {
    const sessions = deliverInBatches([[ev("a", 0), ev("b", 1, paid), ev("c", 2, paid), ev("d", 3)]]);
    expect(sessions.map((s) => [s.channel, s.events])).toEqual([["Direct", 1], ["Paid Search", 3]]);
  });

  it("takes the touchpoint from the first page view, even when an identify came first", () => {
    const identify = ev("i", 0, { type: "identify", path: null, channel: "Direct" });
    const search = { path: "/pricing", referrer_host: "google.com", channel: "Organic Search" as const };
    for (const [page, touch] of [
      [ev("p", 0, paid), { channel: "Paid Search", source: "google", medium: "cpc", campaign: "brand" }],
      [ev("p", 1, search), { channel: "Organic Search", source: "google.com", medium: "organic", campaign: null }],
    ] as const) {
      const sessions = deliverInBatches([[identify, page]]);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ ...touch, landing_page: "/pricing", pageviews: 1, events: 2 });
    }
  });

  it("puts a late event into the session that covers its time, not into a new one", () => {
    // 10:00, 10:20, 10:40 arrive; then a late 10:05 (a retried send).
    const sessions = deliverInBatches([[ev("a", 60), ev("b", 80), ev("c", 100)], [ev("late", 65)]]);
    expect(sessions.map((s) => [s.started_at.slice(11, 16), s.ended_at.slice(11, 16), s.events])).toEqual([["10:00", "10:40", 4]]);
  });

  it("merges two sessions a late event bridges, keeping the first one's touchpoint", () => {
    const first = ev("a", 0, paid);
    const sessions = deliverInBatches([[first, ev("b", 45)], [ev("bridge", 25)]]);
    expect(sessions.map((s) => [s.started_at.slice(11, 16), s.channel, s.pageviews])).toEqual([["09:00", "Paid Search", 3]]);
  });

  it("gives the same sessions, touchpoints and counts in order, shuffled and re-sent across batches", () => {
    const events = [
      ev("e1", 0, { path: "/" }),
      ev("e2", 10, { type: "track", event: "engagement", properties: '{"engaged_ms":4000}' }),
      ev("e3", 20, { ...paid }),
      ev("e4", 25, { type: "track", event: "form_submit", properties: '{"form":"demo"}' }),
      ev("e5", 40),
      ev("e6", 90, { referrer_host: "google.com", channel: "Organic Search" }),
      ev("e7", 100),
      ev("e8", 118),
    ];
    const inOrder = deliverInBatches([events]).map(shape);
    expect(inOrder.map((s) => [s.started_at.slice(11, 16), s.channel, s.events])).toEqual([
      ["09:00", "Direct", 2],
      ["09:20", "Paid Search", 3],
      ["10:30", "Organic Search", 3],
    ]);
    const [e1, e2, e3, e4, e5, e6, e7, e8] = events;
    for (const batches of [
      [[e8], [e3], [e1, e7], [e5], [e2, e6], [e4]],
      [[e5, e4], [e6, e8], [e7], [e2, e1], [e3]],
      [[e2], [e4, e8], [e1, e3, e5, e6, e7]],
    ]) {
      expect(deliverInBatches(batches).map(shape)).toEqual(inOrder);
    }
  });

  it("splits a session when a late event with a new campaign lands inside it", () => {
    const sessions = deliverInBatches([[ev("a", 0), ev("c", 20)], [ev("b", 10, paid)]]);
    expect(sessions.map((s) => [s.started_at.slice(11, 16), s.channel, s.events])).toEqual([["09:00", "Direct", 1], ["09:10", "Paid Search", 2]]);
  });

  it("judges each session from its signals: a hosting network alone is a bot, with a person's doing it is not", () => {
    const hosting = { hosting_network: true, as_org: "MICROSOFT-CORP-MSN-AS-BLOCK", asn: 8075 };
    const [person] = deliverInBatches([[ev("p", 0, hosting), ev("s", 1, { ...hosting, type: "track", event: "engagement", properties: '{"engaged_ms":0,"scroll_pct":60}' })]]);
    expect([person.is_bot, person.bot_reason]).toEqual([false, null]);
    const [script] = deliverInBatches([[ev("p", 0, hosting), ev("q", 1, hosting)]]);
    expect([script.is_bot, script.bot_reason]).toEqual([true, "datacenter-asn"]);
    const [crawler] = deliverInBatches([[ev("p", 0, { is_bot: true, bot_reason: "headless" }), ev("f", 1, { type: "track", event: "form_start" })]]);
    expect([crawler.is_bot, crawler.bot_reason]).toEqual([true, "headless"]);
  });

  it("continues a visit by appending marks, giving what re-cutting it whole gives, and the same day counts", () => {
    const events = [
      ev("c1", 0, { path: "/" }),
      ev("c2", 3, { type: "track", event: "engagement", properties: '{"engaged_ms":12340}' }),
      ev("c3", 3, { path: "/pricing" }),
      ev("c4", 20, { type: "track", event: "form_submit", properties: '{"form":"demo"}' }),
      ev("c5", 44, { path: "/thanks" }),
      ev("c6", 44, { type: "identify" }),
    ];
    const whole = recut([], events.map(pending), 1);
    expect(whole.appended).toBeNull();
    // One event a batch, in order: after the first, every batch takes the append path.
    let stored: SessionRow[] = [];
    const added: number[] = [];
    for (const e of events) {
      const cut = recut(stored, [pending(e)], 1);
      if (cut.appended) added.push(cut.appended.length);
      stored = cut.after;
    }
    // c3 and c6 come at the instant of the mark before them: those two take the full path.
    expect(added).toEqual([1, 1, 1]);
    expect(stored).toEqual(whole.after);
    const counts = (rows: { day: string }[]) => rows.map(({ day, ...c }) => ({ day, ...c }));
    const oneByOne = dayDeltas([{ anonymous_id: "v", before: [], after: [], loose: events.slice(1).map((e) => pending(e).mark) }, { anonymous_id: "v", before: [], after: [recut([], [pending(events[0])], 1).after[0]], loose: [] }], () => 1);
    const atOnce = dayDeltas([{ anonymous_id: "v", before: [], after: whole.after, loose: [] }], () => 1);
    const sum = (rows: ReturnType<typeof dayDeltas>["visitorDays"]) => rows.reduce((a, r) => ({ ...a, page_views: a.page_views + r.page_views, events: a.events + r.events, form_submits: a.form_submits + r.form_submits, engaged_ms: a.engaged_ms + r.engaged_ms, sessions: a.sessions + r.sessions }), { page_views: 0, events: 0, form_submits: 0, engaged_ms: 0, sessions: 0 });
    expect(sum(oneByOne.visitorDays)).toEqual(sum(atOnce.visitorDays));
    expect(counts(atOnce.visitorDays)).toHaveLength(1);
    // A late event, a campaign, or a hosting network's signal goes the whole way round instead.
    expect(recut(stored, [pending(ev("late", 10))], 9).appended).toBeNull();
    expect(recut(stored, [pending(ev("paid", 50, paid))], 9).appended).toBeNull();
    expect(recut(stored, [pending(ev("dc", 50, { hosting_network: true }))], 9).appended).toBeNull();
  });

  it("appends an event of the session's own campaign, and re-cuts for another campaign", () => {
    const other = { ...paid, utm_campaign: "competitor" };
    const events = [ev("p1", 0, paid), ev("p2", 5, paid), ev("p3", 9, { path: "/docs" }), ev("p4", 12, paid)];
    const whole = recut([], events.map(pending), 1);
    let stored: SessionRow[] = [];
    const paths: boolean[] = [];
    for (const e of events) {
      const cut = recut(stored, [pending(e)], 1);
      paths.push(cut.appended !== null);
      stored = cut.after;
    }
    // The first opens the session; the same campaign again (p2, p4) and no campaign (p3) go on.
    expect(paths).toEqual([false, true, true, true]);
    expect(stored).toEqual(whole.after);
    expect(stored).toMatchObject([{ channel: "Paid Search", pageviews: 4, events: 4 }]);
    // Another campaign splits off a session of its own, as re-cutting whole does.
    const split = recut(stored, [pending(ev("p5", 14, other))], 2);
    expect(split.appended).toBeNull();
    expect(split.after.map((x) => [x.id, x.events])).toEqual([[1, 4], [2, 1]]);
  });

  it("gives the same ids on a retry of the same batch", () => {
    const stored = deliverInBatches([[ev("a", 0)]]);
    const once = recut(stored, [pending(ev("b", 5)), pending(ev("c", 50))], 7);
    const again = recut(stored, [pending(ev("c", 50)), pending(ev("b", 5))], 7);
    expect(again).toEqual(once);
    expect(once.upserts.map((s) => s.id)).toEqual([1, 7]);
  });
});

describe("day rollups from sessions", () => {
  it("counts a human session's pages, forms, engaged time and start, and takes them back when it changes", () => {
    const [s] = deliverInBatches([[
      ev("e1", 0, { path: "/" }),
      ev("e2", 1, { path: "/pricing/teams" }),
      ev("e3", 2, { type: "track", event: "form_submit", properties: '{"form":"demo","fields":["email"]}' }),
      ev("e4", 3, { type: "track", event: "engagement", properties: '{"engaged_ms":90500}' }),
    ]]);
    // The pricing page counts as high intent when the rules said so as it was recorded.
    const marks = JSON.parse(s.marks) as number[][];
    marks[1][1] |= 8;
    const session = { ...s, marks: JSON.stringify(marks) };
    const added = dayDeltas([{ anonymous_id: "v", before: [], after: [session], loose: [] }], () => 42);
    expect(added.visitorDays).toEqual([{ anonymous_id: "v", day: "2026-11-02", account_id: 42, page_views: 1, high_intent_page_views: 1, form_starts: 0, form_submits: 1, engaged_ms: 90_500, events: 4, sessions: 1 }]);
    expect(added.accountDays).toEqual([{ account_id: 42, day: "2026-11-02", page_views: 1, high_intent_page_views: 1, form_starts: 0, form_submits: 1, engaged_ms: 90_500, events: 4, sessions: 1 }]);
    // Judged a bot later: everything it counted is taken back.
    const back = dayDeltas([{ anonymous_id: "v", before: [session], after: [{ ...session, is_bot: true }], loose: [] }], () => null);
    expect(back.visitorDays).toEqual([{ anonymous_id: "v", day: "2026-11-02", account_id: null, page_views: -1, high_intent_page_views: -1, form_starts: 0, form_submits: -1, engaged_ms: -90_500, events: -4, sessions: -1 }]);
    // Unchanged: nothing to write.
    expect(dayDeltas([{ anonymous_id: "v", before: [session], after: [session], loose: [] }], () => 42).visitorDays).toEqual([]);
  });
});
