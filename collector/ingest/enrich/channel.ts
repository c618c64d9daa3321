// Channel of a visit (SPEC §6), in the spirit of GA4's default channel grouping: rules are data,
// checked in order, first match wins; a deployment's own rules are checked before the defaults.
import { CHANNELS, type Channel } from "../../events";
import { DEFAULT_CHANNEL_RULES } from "./channel-rules";

export { DEFAULT_CHANNEL_RULES } from "./channel-rules";

/** Each value is a case-insensitive regular expression source; every given field must match. */
export interface ChannelMatch {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  referrer_host?: string;
  /** GA's session source: utm_source when the URL is tagged, else the referrer host, else "(direct)" */
  source?: string;
  /** GA's session medium: utm_medium when tagged ("(not set)" if only utm_source is), else "referral" with a referrer, else "(none)" */
  medium?: string;
  /** the click ids present, space-separated in this order: "gclid msclkid li_fat_id fbclid ttclid" */
  click_ids?: string;
}

export interface ChannelRule {
  channel: Channel;
  match: ChannelMatch;
}

export interface ChannelInput {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  gclid: string | null;
  msclkid: string | null;
  li_fat_id: string | null;
  fbclid: string | null;
  ttclid: string | null;
  referrer_host: string | null;
}

type Field = keyof ChannelMatch;
const FIELDS: readonly Field[] = ["utm_source", "utm_medium", "utm_campaign", "referrer_host", "source", "medium", "click_ids"];
const CLICK_IDS = ["gclid", "msclkid", "li_fat_id", "fbclid", "ttclid"] as const;
// Values are capped upstream; this bounds regex work for callers that did not cap.
const MAX_MATCH_CHARS = 256;

type CompiledRule = { channel: Channel; tests: [Field, RegExp][] } | null;

/** What is wrong with each rule, as sentences; empty when all rules are usable. */
export function validateChannelRules(rules: unknown): string[] {
  if (!Array.isArray(rules)) return ["channel rules must be an array"];
  const problems: string[] = [];
  rules.forEach((rule: unknown, i) => problems.push(...ruleProblems(rule).map((p) => `rule ${i}: ${p}`)));
  return problems;
}

function ruleProblems(rule: unknown): string[] {
  if (!rule || typeof rule !== "object") return ["must be an object"];
  const { channel, match } = rule as { channel?: unknown; match?: unknown };
  const problems: string[] = [];
  if (!(CHANNELS as readonly unknown[]).includes(channel)) problems.push(`channel must be one of ${CHANNELS.join(", ")}`);
  if (!match || typeof match !== "object") return [...problems, "match must be an object"];
  const entries = Object.entries(match);
  if (entries.length === 0) problems.push("match needs at least one field");
  for (const [field, source] of entries) {
    if (!(FIELDS as readonly string[]).includes(field)) problems.push(`unknown field "${field}" (use ${FIELDS.join(", ")})`);
    else if (typeof source !== "string") problems.push(`${field} must be a regular expression string`);
    else if (!isRegex(source)) problems.push(`${field} is not a valid regular expression: ${source}`);
  }
  return problems;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}

/** A rule that cannot be used (see validateChannelRules) is skipped rather than failing every event. */
function compileRule(rule: ChannelRule): CompiledRule {
  if (validateChannelRules([rule]).length > 0) return null;
  const tests = Object.entries(rule.match).map(([f, src]) => [f as Field, new RegExp(src as string, "i")] as [Field, RegExp]);
  return { channel: rule.channel, tests };
}

// Compiled once per rules array: deployments hand the same array to every event.
const compiledCache = new WeakMap<readonly ChannelRule[], CompiledRule[]>();

function compiled(rules: readonly ChannelRule[]): CompiledRule[] {
  let c = compiledCache.get(rules);
  if (!c) {
    c = rules.map(compileRule);
    compiledCache.set(rules, c);
  }
  return c;
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.slice(0, MAX_MATCH_CHARS) : null);

/** The values rules are matched against, derived the way GA derives session source/medium. */
function matchValues(input: ChannelInput): Record<Field, string | null> {
  const utmSource = text(input.utm_source);
  const utmMedium = text(input.utm_medium);
  const referrerHost = text(input.referrer_host);
  const tagged = utmSource !== null || utmMedium !== null;
  const clickIds = CLICK_IDS.filter((k) => text(input[k]) !== null).join(" ");
  return {
    utm_source: utmSource,
    utm_medium: utmMedium,
    utm_campaign: text(input.utm_campaign),
    referrer_host: referrerHost,
    source: tagged ? (utmSource ?? "(not set)") : (referrerHost ?? "(direct)"),
    medium: tagged ? (utmMedium ?? "(not set)") : referrerHost ? "referral" : "(none)",
    click_ids: clickIds === "" ? null : clickIds,
  };
}

function firstMatch(rules: CompiledRule[], values: Record<Field, string | null>): Channel | null {
  for (const rule of rules) {
    if (!rule) continue;
    if (rule.tests.every(([field, re]) => values[field] !== null && re.test(values[field]))) return rule.channel;
  }
  return null;
}

/**
 * The channel of an event: the deployment's rules first, in order, then DEFAULT_CHANNEL_RULES;
 * "Other" when nothing matches (a UTM medium that fits no rule). Never throws.
 */
export function classifyChannel(input: ChannelInput, rules?: readonly ChannelRule[]): Channel {
  const values = matchValues(input);
  if (rules && rules.length > 0) {
    const own = firstMatch(compiled(rules), values);
    if (own) return own;
  }
  return firstMatch(compiled(DEFAULT_CHANNEL_RULES), values) ?? "Other";
}
