// A deal's journey as the spotlight shows it (SPEC §10 GET /v1/deals/:id/journey): every page
// view and form of its account's touches before the close, with its time and person. Pure: page
// views come from the sessions' marks (collector/pipeline/marks.ts), forms from the visitors'
// timeline moments; storage reads both.
import { decodeMarks } from "../pipeline/marks";
import type { Touchpoint } from "../revenue/types";
import type { JourneySession } from "../storage/marketing";

/** A session as storage reads it for a journey. */
export type JourneySessionRow = JourneySession;

export interface JourneyMoment {
  anonymous_id: string;
  at: string;
  kind: string;
  /** JSON: { form, fields, path } */
  detail: string;
}

export type JourneyEventKind = "page_view" | "form_start" | "form_submit" | "form_abandon";

export interface JourneyEvent {
  at: string;
  kind: JourneyEventKind;
  path: string | null;
  form: string | null;
  anonymous_id: string;
  person_id: string | null;
  session_id: number | null;
}

/** A stored session as a touchpoint of the attribution models (pages are not needed here). */
export const touchOf = (s: JourneySessionRow): Touchpoint => ({
  visitor_id: s.anonymous_id, session_id: String(s.id), at: Date.parse(s.started_at), channel: s.channel, source: s.source,
  medium: s.medium, campaign: s.campaign, landing_page: s.landing_page, pages: [], lead: false,
});

const FORM_KINDS = new Set<string>(["form_start", "form_submit", "form_abandon"]);

/**
 * The page views (marks of kind page, up to `endMs`) of the journey's sessions and their visitors'
 * form moments in [the first session's start, endMs], oldest first; at one instant a page view
 * comes before the form on it. `pathOf` names page ids; `personOf` maps visitors to people.
 */
export function journeyEvents(
  sessions: readonly JourneySessionRow[],
  moments: readonly JourneyMoment[],
  pathOf: ReadonlyMap<number, string>,
  personOf: ReadonlyMap<string, string | null>,
  endMs: number,
): JourneyEvent[] {
  const events: JourneyEvent[] = [];
  for (const s of sessions) {
    // Campaign hashes are not needed: the identity keeps decodeMarks' contract.
    for (const m of decodeMarks(s.marks, Date.parse(s.started_at), (k) => k, Date.parse(s.ended_at))) {
      if (m.kind !== "page" || m.t > endMs) continue;
      events.push({
        at: new Date(m.t).toISOString(), kind: "page_view", path: m.page === null ? null : (pathOf.get(m.page) ?? null), form: null,
        anonymous_id: s.anonymous_id, person_id: personOf.get(s.anonymous_id) ?? null, session_id: s.id,
      });
    }
  }
  const start = sessions.reduce((min, s) => Math.min(min, Date.parse(s.started_at)), Infinity);
  for (const m of moments) {
    const t = Date.parse(m.at);
    if (!FORM_KINDS.has(m.kind) || t < start || t > endMs) continue;
    const detail = parse(m.detail);
    const session = sessions.find((s) => s.anonymous_id === m.anonymous_id && Date.parse(s.started_at) <= t && t <= Date.parse(s.ended_at));
    events.push({
      at: new Date(t).toISOString(), kind: m.kind as JourneyEventKind, path: typeof detail.path === "string" ? detail.path : null,
      form: typeof detail.form === "string" ? detail.form : null, anonymous_id: m.anonymous_id, person_id: personOf.get(m.anonymous_id) ?? null,
      session_id: session?.id ?? null,
    });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : (a.kind === "page_view" ? 0 : 1) - (b.kind === "page_view" ? 0 : 1)));
}

function parse(detail: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(detail);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
