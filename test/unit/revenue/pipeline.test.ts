import { describe, expect, it } from "vitest";
import { groupKeys } from "../../../collector/revenue/groups";
import { MixedCurrenciesError } from "../../../collector/revenue/rpv";
import { type PipelineDeal, pipelineByGroup, type PipelineInput } from "../../../collector/revenue/pipeline";
import type { Touchpoint } from "../../../collector/revenue/types";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);

function touch(session: string, account: string, day: number, channel: string, extra: Partial<Touchpoint> = {}): Touchpoint & { account: string } {
  return { account, visitor_id: `${account}-v`, session_id: session, at: T0 + day * DAY, channel, source: null, medium: null, campaign: null, landing_page: "/", pages: ["/"], lead: false, ...extra };
}
function deal(id: string, account: string, amount: number, createdDay: number, extra: Partial<PipelineDeal> = {}): PipelineDeal {
  return { id, account_id: account, amount, currency: "USD", created_at: T0 + createdDay * DAY, closed_at: null, won: false, won_by_now: false, ...extra };
}

// Acme: Email day 0, Paid Search day 5 (a lead), Direct day 12 — after the deal's creation on day 10.
// Globex: Organic Search day 2, Referral day 4. Initech: no touch.
// Deals: A1 acme 9,000 created day 10 (open); G1 globex 3,000 created day 6, won; I1 initech 1,000.
const touches = [touch("s1", "acme", 0, "Email"), touch("s2", "acme", 5, "Paid Search", { lead: true }), touch("s3", "acme", 12, "Direct"), touch("s4", "globex", 2, "Organic Search"), touch("s5", "globex", 4, "Referral")];
const byAccount = new Map<string, Touchpoint[]>();
for (const t of touches) byAccount.set(t.account, [...(byAccount.get(t.account) ?? []), t]);
const input = (extra: Partial<PipelineInput>): PipelineInput => ({
  deals: [deal("A1", "acme", 9_000, 10), deal("G1", "globex", 3_000, 6, { won: true, won_by_now: true, closed_at: T0 + 20 * DAY }), deal("I1", "initech", 1_000, 8)],
  touchesByAccount: byAccount, model: "first_touch", keysOf: groupKeys("channel"), ...extra,
});
const table = (rows: { key: string; deals: number; pipeline: number; won_deals: number; won_revenue: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.key, [r.deals, r.pipeline, r.won_deals, r.won_revenue]]));

describe("pipeline by group", () => {
  it("first touch: each deal to its account's first session before creation; no touch → unattributed", () => {
    const r = pipelineByGroup(input({}));
    expect(table(r.rows)).toEqual({ Email: [1, 9_000, 0, 0], "Organic Search": [1, 3_000, 1, 3_000] });
    expect(r.total).toEqual({ key: "total", deals: 3, pipeline: 13_000, won_deals: 1, won_revenue: 3_000 });
    expect(r.unattributed).toEqual({ deals: 1, pipeline: 1_000, won_deals: 0, won_revenue: 0 });
    expect(r.rows.map((x) => x.key)).toEqual(["Email", "Organic Search"]);
  });

  it("linear: touches after the creation (Acme's Direct on day 12) are not in the journey", () => {
    const r = pipelineByGroup(input({ model: "linear" }));
    // A1: Email ½, Paid ½ → 4,500 each; G1: Organic ½, Referral ½ → 1,500 each, won
    expect(table(r.rows)).toEqual({ Email: [0.5, 4_500, 0, 0], "Paid Search": [0.5, 4_500, 0, 0], "Organic Search": [0.5, 1_500, 0.5, 1_500], Referral: [0.5, 1_500, 0.5, 1_500] });
  });

  it("w_shaped: the opportunity point is the deal creation (the last touch before it)", () => {
    // A1 over [Email, Paid(lead)]: first Email 1/3, lead Paid 1/3, opportunity Paid 1/3 (no other touch):
    // Email 3,000, Paid 6,000. G1 over [Organic, Referral]: first + lead (none: first) Organic 2/3, opportunity Referral 1/3.
    const r = pipelineByGroup(input({ model: "w_shaped" }));
    const t = table(r.rows);
    expect(t.Email[1]).toBeCloseTo(3_000, 9);
    expect(t["Paid Search"][1]).toBeCloseTo(6_000, 9);
    expect(t["Organic Search"][1]).toBeCloseTo(2_000, 9);
    expect(t.Referral[3]).toBeCloseTo(1_000, 9);
  });

  it("never adds currencies: refuses a mix without currency=, and sums the others aside", () => {
    const eur = deal("E1", "acme", 500, 9, { currency: "EUR" });
    expect(() => pipelineByGroup(input({ deals: [...input({}).deals, eur] }))).toThrow(MixedCurrenciesError);
    expect(() => pipelineByGroup(input({ deals: [...input({}).deals, eur] }))).toThrow(/Deals created in this window are in several currencies \(EUR, USD\); choose one with currency=/);
    const usd = pipelineByGroup(input({ deals: [...input({}).deals, eur], currency: "usd" }));
    expect(usd.total.pipeline).toBe(13_000);
    expect(usd.other_currencies).toEqual({ EUR: 500 });
  });
});
