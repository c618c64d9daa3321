// The default channel rules as data, after GA4's default channel grouping
// (support.google.com/analytics/answer/9756891), trimmed to Foothold's ten channels.
// `source`/`medium` are GA's session source and medium (see ChannelMatch in channel.ts).
import type { ChannelRule } from "./channel";

/** Regex source matching a whole value that is one of the alternatives (optionally "www."-prefixed). */
const oneOf = (alternatives: readonly string[]): string => `^(www\\.)?(${alternatives.join("|")})$`;

/** utm_source words and referrer hosts of search engines. */
export const SEARCH_SOURCES: readonly string[] = [
  "google", "bing", "yahoo", "duckduckgo", "ddg", "baidu", "yandex", "ecosia", "ask", "naver", "seznam",
  "sogou", "qwant", "startpage", "brave", "kagi", "adwords", "google[-_ ]?ads", "(microsoft|bing)[-_ ]?ads",
  "google\\.(com?\\.)?[a-z]{2,3}",
  "(cn\\.)?bing\\.com",
  "([a-z]{2}\\.)?search\\.yahoo\\.(com|co\\.jp)", "yahoo\\.(com|co\\.jp)",
  "duckduckgo\\.com", "(m\\.)?baidu\\.com", "yandex\\.(ru|com|com\\.tr|by|kz|ua)", "ya\\.ru",
  "ecosia\\.org", "search\\.brave\\.com", "startpage\\.com", "qwant\\.com", "kagi\\.com",
  "(m\\.|search\\.)?naver\\.com", "(search\\.)?seznam\\.cz", "(m\\.)?sogou\\.com", "so\\.com", "ask\\.com",
  "search\\.aol\\.com",
];

/** utm_source words and referrer hosts of social networks (YouTube included: no Video channel here). */
export const SOCIAL_SOURCES: readonly string[] = [
  "facebook", "fb", "meta", "instagram", "ig", "linkedin", "twitter", "x", "tiktok", "youtube", "reddit",
  "pinterest", "threads", "bluesky", "bsky", "mastodon", "snapchat", "quora", "whatsapp", "telegram",
  "discord", "tumblr", "vk", "xing", "wechat", "weibo", "hacker[-_ ]?news", "producthunt",
  "([a-z0-9-]+\\.)?facebook\\.com", "fb\\.me", "(l\\.)?instagram\\.com", "([a-z]+\\.)?linkedin\\.com",
  "lnkd\\.in", "t\\.co", "x\\.com", "(mobile\\.)?twitter\\.com", "(m\\.)?youtube\\.com", "youtu\\.be",
  "([a-z]+\\.)?reddit\\.com", "([a-z]+\\.)?tiktok\\.com", "([a-z]{2}\\.)?pinterest\\.[a-z.]{2,6}",
  "threads\\.(net|com)", "bsky\\.app", "mastodon\\.social", "news\\.ycombinator\\.com", "quora\\.com",
  "snapchat\\.com", "vk\\.com", "xing\\.com", "tumblr\\.com", "discord\\.com", "t\\.me",
  "web\\.telegram\\.org", "wa\\.me", "web\\.whatsapp\\.com", "weibo\\.com", "producthunt\\.com",
  "medium\\.com",
];

/** Webmail hosts: a click from a mail read in the browser is Email even without UTMs. */
const WEBMAIL_HOSTS = [
  "mail\\.google\\.com", "outlook\\.live\\.com", "outlook\\.office(365)?\\.com", "mail\\.yahoo\\.com",
  "mail\\.aol\\.com", "mail\\.proton\\.me", "mail\\.zoho\\.(com|eu)",
];

const SEARCH = oneOf(SEARCH_SOURCES);
const SOCIAL = oneOf(SOCIAL_SOURCES);
// GA4's paid medium: ^(.*cp.*|ppc|retargeting|paid.*)$
const PAID = "^(.*cp.*|ppc|retargeting|paid.*)$";
const EMAIL = "^(e[-_ ]?mail|newsletters?)$";
const UNTAGGED = "^(\\(none\\)|\\(not set\\)|referral)$";

export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  // Auto-tagging by the ad platforms is authoritative: these ids are only added to ad clicks.
  { channel: "Paid Search", match: { click_ids: "\\b(gclid|msclkid)\\b" } },
  { channel: "Paid Social", match: { click_ids: "\\b(li_fat_id|ttclid)\\b" } },
  // Facebook adds fbclid to organic link clicks too, so an explicit non-paid medium wins over it.
  { channel: "Paid Social", match: { click_ids: "\\bfbclid\\b", medium: `${UNTAGGED}|${PAID}` } },
  { channel: "Direct", match: { source: "^\\(direct\\)$", medium: "^\\((none|not set)\\)$" } },
  { channel: "Paid Search", match: { source: SEARCH, medium: PAID } },
  { channel: "Paid Social", match: { source: SOCIAL, medium: PAID } },
  { channel: "Paid Search", match: { medium: "^(paid[-_ ]?search|sem|search[-_ ]?ads?)$" } },
  { channel: "Paid Social", match: { medium: "^(paid[-_ ]?social|social[-_ ]?(paid|ads?))$" } },
  { channel: "Display", match: { medium: "^(display|banner|expandable|interstitial|cpm|programmatic)$" } },
  { channel: "Email", match: { medium: EMAIL } },
  { channel: "Email", match: { source: EMAIL } },
  { channel: "Email", match: { source: oneOf(WEBMAIL_HOSTS) } },
  { channel: "Affiliate", match: { medium: "^affiliates?$" } },
  { channel: "Organic Social", match: { medium: "^(social|social[-_ ]network|social[-_ ]media|sm|organic[-_ ]social)$" } },
  { channel: "Organic Social", match: { source: SOCIAL } },
  { channel: "Organic Search", match: { source: SEARCH } },
  { channel: "Organic Search", match: { medium: "^organic$" } },
  { channel: "Referral", match: { medium: "^(referral|app|link)$" } },
];
