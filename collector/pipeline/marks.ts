// A mark is what a session keeps of one event once the event itself lives in R2 (SPEC §12): its
// time, its kind, the page or engaged time, whether it was a bot or human signal, and its campaign.
// That is enough to re-cut a visitor's sessions by time when a late event arrives (SPEC §6), to
// judge a session bot or human (SPEC §3), to rebuild its day rollups, and to list its pages.
// Stored as a JSON array of small tuples on the session row (about 12 bytes an event):
//   [dt, code, x?, c?]   dt: tenths of a second after the previous mark (the first: after the
//                        session's start), so a page view and its engagement report share 0; code: see below; x: page
//                        id (page), engaged tenths of a second (engagement; −1: scrolled, no time),
//                        else 0; c: campaign key hash, when the event has one.
// Times are kept to a tenth of a second: the session row keeps its exact start and end.

export const KINDS = ["page", "engagement", "form_start", "form_submit", "form_abandon", "identify", "group", "other"] as const;
export type MarkKind = (typeof KINDS)[number];

/** Why an event alone says "bot" (user agent evidence); a hosting network is only a signal. */
export const BOT_REASONS = ["no-user-agent", "headless", "user-agent"] as const;
export type BotReason = (typeof BOT_REASONS)[number];

export interface Mark {
  /** event time, epoch ms */
  t: number;
  kind: MarkKind;
  /** page: the path id */
  page: number | null;
  /** engagement: engaged milliseconds */
  engaged_ms: number;
  /** a page matching the high-intent rules when it was recorded */
  high_intent: boolean;
  /** the event came from a hosting network (datacenter ASN) */
  hosting: boolean;
  /** the user agent says bot */
  bot: BotReason | null;
  /** engaged time, scroll, a form or an identify: a person's doing */
  human: boolean;
  /** hash of the event's campaign key (UTM + click ids), when it has one */
  campaign: string | null;
}

// code bits: 0–2 kind, 3 high intent, 4 hosting, 5–6 bot reason (1-based), 7 human (an
// "other" event a person's doing; forms, identify and engagement with time or scroll are by kind)
const HIGH_INTENT = 8;
const HOSTING = 16;
const BOT_SHIFT = 5;
const HUMAN = 128;
/** Mark times and engaged time are stored in tenths of a second. */
const UNIT_MS = 100;

const humanByKind = (kind: MarkKind, engagedMs: number, scrolled: boolean) =>
  kind === "form_start" || kind === "form_submit" || kind === "form_abandon" || kind === "identify" || (kind === "engagement" && (engagedMs > 0 || scrolled));

export type StoredMark = [number, number, number?, string?];

export function encodeMarks(marks: readonly Mark[], startMs: number): string {
  let previous = 0;
  return JSON.stringify(
    marks.map((m) => {
      const units = Math.round((m.t - startMs) / UNIT_MS);
      const out = encodeMark(m, units - previous);
      previous = units;
      return out;
    }),
  );
}

function encodeMark(m: Mark, dt: number): StoredMark {
  const code =
    KINDS.indexOf(m.kind) |
    (m.high_intent ? HIGH_INTENT : 0) |
    (m.hosting ? HOSTING : 0) |
    ((m.bot ? BOT_REASONS.indexOf(m.bot) + 1 : 0) << BOT_SHIFT) |
    (m.human && m.kind === "other" ? HUMAN : 0);
  const engaged = Math.round(m.engaged_ms / UNIT_MS);
  const x = m.kind === "page" ? (m.page ?? 0) : m.kind === "engagement" ? (engaged > 0 ? engaged : m.human ? -1 : 0) : 0;
  const out: StoredMark = [dt, code];
  if (x || m.campaign) out.push(x);
  if (m.campaign) out.push(m.campaign);
  return out;
}

/**
 * `json` (a session's stored marks, the last of them at `endMs`) with `marks` (later, in time
 * order) appended, without decoding what is stored: the common case of a visit going on.
 */
export function appendMarks(json: string, startMs: number, endMs: number, marks: readonly Mark[]): string {
  let previous = Math.round((endMs - startMs) / UNIT_MS);
  const added = marks.map((m) => {
    const units = Math.round((m.t - startMs) / UNIT_MS);
    const out = encodeMark(m, units - previous);
    previous = units;
    return JSON.stringify(out);
  });
  const body = json.trim().replace(/^\[|\]$/g, "").trim();
  return `[${body ? `${body},` : ""}${added.join(",")}]`;
}

/**
 * A session's stored marks, in time order. Marks migrated from the first version carry their
 * campaign key in clear, prefixed with "=": `campaignHash` turns it into the same hash as new ones.
 * `endMs`, when given, is the session's exact end: its last mark's time (stored to 0.1 s).
 */
export function decodeMarks(json: string, startMs: number, campaignHash: (key: string) => string, endMs?: number): Mark[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Mark[] = [];
  let units = 0;
  for (const r of raw) {
    if (!Array.isArray(r) || typeof r[0] !== "number" || typeof r[1] !== "number") continue;
    const [dt, code, x = 0, c] = r as StoredMark;
    units += dt;
    const kind = KINDS[code & 7];
    const bot = (code >> BOT_SHIFT) & 3;
    const engaged = kind === "engagement" && x > 0 ? x * UNIT_MS : 0;
    out.push({
      t: startMs + units * UNIT_MS,
      kind,
      page: kind === "page" && x ? x : null,
      engaged_ms: engaged,
      high_intent: (code & HIGH_INTENT) !== 0,
      hosting: (code & HOSTING) !== 0,
      bot: bot ? BOT_REASONS[bot - 1] : null,
      human: (code & HUMAN) !== 0 || humanByKind(kind, engaged, kind === "engagement" && x < 0),
      campaign: typeof c === "string" && c ? (c.startsWith("=") ? campaignHash(c.slice(1)) : c) : null,
    });
  }
  if (out.length && endMs !== undefined) out[out.length - 1].t = Math.max(endMs, out.length > 1 ? out[out.length - 2].t : endMs);
  return out;
}

/** One engagement report covers at most one page's visible time; more is a broken client. */
export const MAX_ENGAGED_MS = 30 * 60_000;
const FORM_KINDS: Record<string, MarkKind> = { form_start: "form_start", form_submit: "form_submit", form_abandon: "form_abandon" };

export interface MarkFacts {
  type: string;
  event: string | null;
  timestamp: string;
  properties: string;
  /** the user agent's verdict */
  bot_reason: string | null;
  hosting_network: boolean;
  /** hash of the campaign key, when the event has one */
  campaign: string | null;
  /** page: the path id and whether it is high intent */
  page: number | null;
  high_intent: boolean;
}

/** The mark of one event. */
export function markOf(f: MarkFacts): Mark {
  const kind: MarkKind =
    f.type === "page" ? "page" : f.type === "identify" ? "identify" : f.type === "group" ? "group"
      : f.type === "track" && f.event === "engagement" ? "engagement" : f.type === "track" && f.event !== null && f.event in FORM_KINDS ? FORM_KINDS[f.event] : "other";
  const engagement = kind === "engagement" ? engagementOf(f.properties) : { ms: 0, scroll: 0 };
  const bot = (BOT_REASONS as readonly string[]).includes(f.bot_reason ?? "") ? (f.bot_reason as BotReason) : null;
  return {
    t: Date.parse(f.timestamp),
    kind,
    page: kind === "page" ? f.page : null,
    engaged_ms: engagement.ms,
    high_intent: kind === "page" && f.high_intent,
    hosting: f.hosting_network,
    bot,
    // What a script on a server does not do: spend visible time, scroll, fill a form, say who it is.
    human: humanByKind(kind, engagement.ms, engagement.scroll > 0),
    campaign: f.campaign,
  };
}

function engagementOf(properties: string): { ms: number; scroll: number } {
  try {
    const p = JSON.parse(properties) as { engaged_ms?: unknown; scroll_pct?: unknown; scroll?: unknown };
    // Counted to a tenth of a second, as the mark keeps it, so re-counting a session gives the same sum.
    const ms = typeof p.engaged_ms === "number" && Number.isFinite(p.engaged_ms) && p.engaged_ms > 0 ? Math.round(Math.min(p.engaged_ms, MAX_ENGAGED_MS) / UNIT_MS) * UNIT_MS : 0;
    const s = typeof p.scroll_pct === "number" ? p.scroll_pct : typeof p.scroll === "number" ? p.scroll : 0;
    return { ms, scroll: Number.isFinite(s) && s > 0 ? s : 0 };
  } catch {
    return { ms: 0, scroll: 0 };
  }
}
