// Alert rules (SPEC §11): what a rule is, which events it matches, and the checks a new rule
// must pass. Pure: the route declarations and the consumer both use it.

export const ALERT_KINDS = ["page_view", "form_submit", "surging", "score_above"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_FORMATS = ["json", "slack"] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** Kinds the queue consumer fires from events; the others fire from the hourly check of account state. */
export const EVENT_KINDS: readonly AlertKind[] = ["page_view", "form_submit"];
export const isEventKind = (kind: AlertKind) => EVENT_KINDS.includes(kind);

export const DEFAULT_COOLDOWN_HOURS = 24;
/** Events older than this when the consumer sees them (a backfill, a re-send days late) never fire. */
export const FRESH_MS = 24 * 3_600_000;

export interface AlertWhen {
  kind: AlertKind;
  segment?: string;
  path?: string;
  threshold?: number;
}

export interface AlertRule {
  id: string;
  name: string;
  kind: AlertKind;
  segment: string | null;
  path: string | null;
  threshold: number | null;
  url: string;
  format: AlertFormat;
  cooldown_hours: number;
  dashboard_origin: string;
  created_at: string;
}

/** The rule's `when`, as the API shows it: only the fields that are set. */
export function whenOf(rule: Pick<AlertRule, "kind" | "segment" | "path" | "threshold">): AlertWhen {
  return {
    kind: rule.kind,
    ...(rule.segment !== null ? { segment: rule.segment } : {}),
    ...(rule.path !== null ? { path: rule.path } : {}),
    ...(rule.threshold !== null ? { threshold: rule.threshold } : {}),
  };
}

/** What is wrong with a `when` beyond its types (which fields go with which kind), or null. */
export function whenProblem(when: AlertWhen): string | null {
  if (when.kind === "page_view" && when.path === undefined) return "`when.path` is required for page_view: a path glob such as /pricing*.";
  if (when.path !== undefined && !isEventKind(when.kind)) return `\`when.path\` applies to page_view and form_submit, not ${when.kind}.`;
  if (when.path !== undefined && !/^[/*]/.test(when.path)) return "`when.path` must start with / (or *), e.g. /pricing*.";
  if (when.kind === "score_above" && when.threshold === undefined) return "`when.threshold` is required for score_above: the 30-day score to fire above.";
  if (when.threshold !== undefined && when.kind !== "score_above") return `\`when.threshold\` applies to score_above, not ${when.kind}.`;
  return null;
}

/**
 * Why a receiver URL is refused, or null. Any http(s) address is the admin's to choose (an
 * internal service included); other schemes are refused with their name.
 */
export function receiverUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `\`url\` must be an absolute http:// or https:// address, got ${JSON.stringify(text.slice(0, 100))}.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `\`url\` must use http:// or https://, not ${url.protocol}// (alerts are sent as HTTP POST requests).`;
  }
  if (url.username || url.password) return "`url` must not carry a user name or password; put a token in the path or query instead.";
  return null;
}

/** A page path as rules compare it: no query or fragment, lower-cased, no trailing slash (but "/"). */
function normalPath(path: string): string {
  const clean = path.split(/[?#]/, 1)[0].toLowerCase();
  return clean.length > 1 ? clean.replace(/\/+$/, "") || "/" : clean;
}

/**
 * Whether a path matches a rule's glob: `*` matches any characters, `/` included; everything else
 * is literal. Case and a trailing slash do not matter: `/pricing*` matches `/pricing`,
 * `/Pricing/` and `/pricing/enterprise`; `/pricing` matches only the page itself.
 */
export function pathMatches(glob: string, path: string): boolean {
  const parts = normalPath(glob.replace(/\*+/g, "*")).split("*");
  const target = normalPath(path);
  // Literal parts in order: the first anchored at the start, the last at the end.
  if (parts.length === 1) return target === parts[0];
  if (!target.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = target.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return target.length - last.length >= at && target.endsWith(last);
}
