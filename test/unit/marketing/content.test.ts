import { describe, expect, it } from "vitest";
import { contentPage, contentRows, decodeContentCursor } from "../../../collector/marketing/content";

const rows = contentRows({
  traffic: [{ path: "/pricing", visitors: 4, views: 9 }, { path: "/blog/a", visitors: 7, views: 7 }, { path: "/docs", visitors: 1, views: 1 }],
  won: [{ path: "/pricing", deals: 2, amount: 15_000, top: [["A-1", 12_000], ["H-1", 3_000]] }, { path: "/case-study", deals: 1, amount: 12_000, top: [["A-1", 12_000]] }],
  pipeline: [{ path: "/pricing", deals: 1, amount: 8_000.004, top: [] }],
  attributed: new Map([["/blog/a", { amount: 2_500, deals: 0.25 }]]),
});

describe("content rows", () => {
  it("joins traffic, influence, pipeline and credit per page; a page with only one of them still shows", () => {
    expect(rows.find((r) => r.key === "/pricing")).toEqual({ key: "/pricing", visitors: 4, views: 9, influenced_deals: 2, influenced_revenue: 15_000, attributed_revenue: 0, influenced_pipeline: 8_000, deals: ["A-1", "H-1"] });
    expect(rows.find((r) => r.key === "/case-study")).toMatchObject({ visitors: 0, views: 0, influenced_deals: 1 });
    expect(rows).toHaveLength(4);
  });

  it("ranks descending with ties by path, and a cursor resumes after the last row", () => {
    const first = contentPage(rows, "influenced_revenue", 2, null);
    expect(first.rows.map((r) => r.key)).toEqual(["/pricing", "/case-study"]);
    const next = contentPage(rows, "influenced_revenue", 2, decodeContentCursor(first.next_cursor!));
    // /blog/a and /docs both have 0: by path
    expect(next.rows.map((r) => r.key)).toEqual(["/blog/a", "/docs"]);
    expect(next.next_cursor).toBeNull();
    expect(contentPage(rows, "views", 10, null).rows.map((r) => r.key)).toEqual(["/pricing", "/blog/a", "/docs", "/case-study"]);
  });

  it("refuses a cursor it did not give out", () => {
    expect(decodeContentCursor("bm9wZQ")).toBeNull();
    expect(decodeContentCursor("%%%")).toBeNull();
  });
});
