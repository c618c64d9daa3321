import { describe, expect, it } from "vitest";
import { type AlertEvent, cooldownKey, eventFirings, stateChanges } from "../../../collector/signals/evaluate";
import type { AlertRule } from "../../../collector/signals/rules";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const rule = (id: string, fields: Partial<AlertRule>): AlertRule => ({
  id, name: id, kind: "page_view", segment: null, path: "/pricing*", threshold: null, url: "https://r.example/", format: "json",
  cooldown_hours: 24, dashboard_origin: "https://t.example.com", created_at: "2026-11-01T00:00:00.000Z", ...fields,
});
const ev = (fields: Partial<AlertEvent>): AlertEvent => ({ type: "page", event: null, path: "/pricing", url: "https://example.com/pricing", timestamp: "2026-11-20T11:59:00.000Z", visitor: "v1", account_id: 1, ...fields });
const segments: Record<number, string | null> = { 1: "target", 2: "customer", 3: null };
const segmentOf = (id: number) => segments[id] ?? null;

describe("eventFirings", () => {
  it("fires each rule once per account, for its earliest matching event", () => {
    const firings = eventFirings(
      [rule("r1", {})],
      [
        ev({ path: "/pricing/enterprise", url: "https://example.com/pricing/enterprise", timestamp: "2026-11-20T11:58:00.000Z", visitor: "v2" }),
        ev({ timestamp: "2026-11-20T11:50:00.000Z" }),
        ev({ account_id: 2, visitor: "v3" }),
        ev({ path: "/about" , account_id: 3}),
      ],
      segmentOf,
      new Map(),
      NOW,
    );
    expect(firings).toEqual([
      { rule_id: "r1", account_id: 1, kind: "page_view", at: "2026-11-20T11:50:00.000Z", visitor: "v1", page: { path: "/pricing", url: "https://example.com/pricing" } },
      { rule_id: "r1", account_id: 2, kind: "page_view", at: "2026-11-20T11:59:00.000Z", visitor: "v3", page: { path: "/pricing", url: "https://example.com/pricing" } },
    ]);
  });

  it("skips unresolved visitors, other segments, running cooldowns and stale events", () => {
    const rules = [rule("targets", { segment: "target" })];
    const events = [
      ev({ account_id: null, visitor: "anon" }),
      ev({ account_id: 2 }),
      ev({ account_id: 1, timestamp: "2026-11-19T11:59:59.000Z" }), // 24 h and a second old
    ];
    expect(eventFirings(rules, events, segmentOf, new Map(), NOW)).toEqual([]);
    const fresh = [ev({ account_id: 1 })];
    expect(eventFirings(rules, fresh, segmentOf, new Map([[cooldownKey("targets", 1), "2026-11-20T12:00:01.000Z"]]), NOW)).toEqual([]);
    // A cooldown that ended is no cooldown.
    expect(eventFirings(rules, fresh, segmentOf, new Map([[cooldownKey("targets", 1), "2026-11-20T12:00:00.000Z"]]), NOW)).toHaveLength(1);
  });

  it("fires form_submit rules on the form_submit track call only, optionally on matching pages", () => {
    const form = (path: string) => ev({ type: "track", event: "form_submit", path });
    const rules = [rule("any", { kind: "form_submit", path: null }), rule("demo", { kind: "form_submit", path: "/demo*" })];
    expect(eventFirings(rules, [ev({ type: "track", event: "form_start", path: "/demo" })], segmentOf, new Map(), NOW)).toEqual([]);
    expect(eventFirings(rules, [ev({ type: "page", path: "/demo" })], segmentOf, new Map(), NOW)).toEqual([]);
    expect(eventFirings(rules, [form("/contact")], segmentOf, new Map(), NOW).map((f) => f.rule_id)).toEqual(["any"]);
    expect(eventFirings(rules, [form("/demo/book")], segmentOf, new Map(), NOW).map((f) => f.rule_id)).toEqual(["any", "demo"]);
  });
});

describe("stateChanges", () => {
  it("names the accounts that entered the state and those that left it", () => {
    expect(stateChanges(new Set([1, 2, 5]), new Set([2, 3]))).toEqual({ entered: [1, 5], left: [3] });
    expect(stateChanges(new Set(), new Set())).toEqual({ entered: [], left: [] });
  });
});
