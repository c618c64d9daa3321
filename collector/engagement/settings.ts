// Engagement settings per deployment (SPEC §6): weights, high-intent page rules, half-life.

export interface EngagementWeights {
  page_view: number;
  high_intent_page_view: number;
  form_start: number;
  form_submit: number;
  engaged_minute: number;
}

export interface EngagementSettings {
  half_life_days: number;
  weights: EngagementWeights;
  /** path prefixes whose page views weigh `high_intent_page_view` instead of `page_view` */
  high_intent_pages: readonly string[];
}

export const DEFAULT_ENGAGEMENT: Readonly<EngagementSettings> = Object.freeze({
  half_life_days: 14,
  weights: Object.freeze({ page_view: 1, high_intent_page_view: 3, form_start: 2, form_submit: 10, engaged_minute: 0.5 }),
  high_intent_pages: Object.freeze(["/pricing", "/demo", "/contact"]),
});

export interface EngagementOverrides {
  half_life_days?: number;
  weights?: Partial<EngagementWeights>;
  high_intent_pages?: readonly string[];
}

/**
 * The defaults with a deployment's overrides merged in. Throws a RangeError naming the bad
 * setting: a zero half-life or a negative weight would make every score meaningless.
 */
export function engagementSettings(overrides: EngagementOverrides = {}): EngagementSettings {
  const settings: EngagementSettings = {
    half_life_days: overrides.half_life_days ?? DEFAULT_ENGAGEMENT.half_life_days,
    weights: { ...DEFAULT_ENGAGEMENT.weights, ...overrides.weights },
    high_intent_pages: [...(overrides.high_intent_pages ?? DEFAULT_ENGAGEMENT.high_intent_pages)],
  };
  // Bounded so decayed sums stay finite: 2^(365/0.5) is still a double, 2^(365/1e-300) is not.
  if (!(Number.isFinite(settings.half_life_days) && settings.half_life_days >= 0.5 && settings.half_life_days <= 3650)) {
    throw new RangeError(`half_life_days must be a number of days from 0.5 to 3650, got ${settings.half_life_days}`);
  }
  for (const [name, w] of Object.entries(settings.weights)) {
    if (!(Number.isFinite(w) && w >= 0 && w <= 1e6)) throw new RangeError(`weight ${name} must be a number from 0 to 1,000,000, got ${w}`);
  }
  for (const p of settings.high_intent_pages) {
    if (typeof p !== "string" || !p.startsWith("/")) throw new RangeError(`page rule ${String(p)} must be a path starting with /`);
  }
  return settings;
}

/**
 * Whether a page path matches a page rule. A rule is a path prefix matched on whole segments
 * and case-insensitively: "/pricing" matches "/pricing", "/Pricing/", "/pricing/teams" and
 * "/pricing?plan=x", not "/pricing-old". Query and fragment are ignored.
 */
export function isHighIntent(path: string, settings: Pick<EngagementSettings, "high_intent_pages">): boolean {
  const clean = path.split(/[?#]/, 1)[0].toLowerCase();
  return settings.high_intent_pages.some((rule) => {
    const prefix = rule.toLowerCase().replace(/\/+$/, "");
    if (prefix === "") return true; // "/" matches every page
    return clean === prefix || clean.startsWith(`${prefix}/`);
  });
}
