// GET /v1/content rows (SPEC §10): per page path its visitors and views in the window, the won
// deals it influenced (their account viewed it in the lookback before the close) and their
// revenue, the model's revenue credit to sessions that viewed it, and the pipeline it influenced.
// Pure: storage counts and finds the influence, credit.ts shares the revenue; this ranks and pages.
import type { Credited } from "./credit";

export const CONTENT_SORTS = ["influenced_revenue", "attributed_revenue", "influenced_deals", "influenced_pipeline", "views", "visitors"] as const;
export type ContentSort = (typeof CONTENT_SORTS)[number];

export interface ContentRow {
  key: string;
  visitors: number;
  views: number;
  influenced_deals: number;
  influenced_revenue: number;
  attributed_revenue: number;
  influenced_pipeline: number;
  /** ids of the largest influenced won deals */
  deals: string[];
}

/** A page's influence: the deals whose account viewed it before their moment, summed. */
export interface Influence {
  path: string;
  deals: number;
  amount: number;
  /** [deal id, amount], largest first */
  top: [string, number][];
}

export interface ContentInput {
  traffic: readonly { path: string; visitors: number; views: number }[];
  /** won deals closed in the window, as of their close */
  won: readonly Influence[];
  /** deals created in the window, as of their creation */
  pipeline: readonly Influence[];
  /** revenue credit per page (the `page` grouping of the revenue report) */
  attributed: ReadonlyMap<string, Credited>;
}

/** Every page with traffic, influence or credit in the window. */
export function contentRows(input: ContentInput): ContentRow[] {
  const rows = new Map<string, ContentRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, visitors: 0, views: 0, influenced_deals: 0, influenced_revenue: 0, attributed_revenue: 0, influenced_pipeline: 0, deals: [] };
      rows.set(key, r);
    }
    return r;
  };
  for (const t of input.traffic) Object.assign(row(t.path), { visitors: t.visitors, views: t.views });
  for (const w of input.won) Object.assign(row(w.path), { influenced_deals: w.deals, influenced_revenue: cents(w.amount), deals: w.top.map(([id]) => id) });
  for (const p of input.pipeline) row(p.path).influenced_pipeline = cents(p.amount);
  for (const [key, c] of input.attributed) row(key).attributed_revenue = cents(c.amount);
  return [...rows.values()];
}

export interface ContentCursor {
  value: number;
  key: string;
}

/** Rows ranked by `sort` descending, ties by path: a stable order the cursor can resume. */
export function contentPage(rows: readonly ContentRow[], sort: ContentSort, limit: number, after: ContentCursor | null): { rows: ContentRow[]; next_cursor: string | null } {
  const ranked = [...rows].sort((a, b) => b[sort] - a[sort] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const start = after === null ? 0 : ranked.findIndex((r) => r[sort] < after.value || (r[sort] === after.value && r.key > after.key));
  const page = start < 0 ? [] : ranked.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start >= 0 && start + limit < ranked.length;
  return { rows: page, next_cursor: more && last ? encodeContentCursor({ value: last[sort], key: last.key }) : null };
}

export const encodeContentCursor = (c: ContentCursor) => btoa(encodeURIComponent(JSON.stringify([c.value, c.key]))).replace(/=+$/, "");

export function decodeContentCursor(text: string): ContentCursor | null {
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(atob(text)));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "number" && typeof parsed[1] === "string") return { value: parsed[0], key: parsed[1] };
  } catch {
    // not a cursor we issued
  }
  return null;
}

const cents = (v: number) => Math.round(v * 100) / 100;
