// Cloud and hosting networks, by the AS organisation name Cloudflare reports (request.cf.asOrganization).
// People browse from ISPs and offices; a page view from a hosting network is almost always a
// script, a crawler or a proxy. Shared with identity resolution, so cloud ASNs never name an account.

/** Name fragments of hosting/cloud AS organisations, as regex sources matched case-insensitively. */
export const DATACENTER_ORG_PATTERNS: readonly string[] = [
  "amazon", "\\baws\\b", "a100 row", // Amazon / AWS (AMAZON-02, Amazon.com Inc., A100 ROW GmbH)
  "google[- ]cloud", "google llc", // Google Cloud (GOOGLE-CLOUD-PLATFORM, Google LLC); not Google Fiber
  "microsoft", "\\bazure\\b",
  "digitalocean", "\\bovh", "hetzner", "linode", "akamai", "vultr", "choopa", "the constant company",
  "alibaba", "aliyun", "tencent", "huawei cloud", "oracle", "scaleway", "online s\\.?a\\.?s",
  "contabo", "leaseweb", "hostinger", "ionos", "m247", "datacamp", "hivelocity", "colocrossing",
  "psychz", "quadranet", "g-?core", "kamatera", "upcloud", "netcup", "hostwinds", "servers\\.com",
  "hostroyale", "cherry servers", "\\bfly\\.io\\b", "heroku", "rackspace", "ibm cloud",
  "softlayer", "zenlayer", "serverius", "worldstream", "nforce", "ponynet",
  "frantech", "buyvm", "datapacket", "cdn77", "latitude\\.sh", "packet host", "gigenet", "tzulo",
];

// One regex for all patterns: compiled once at start-up, one scan per event.
const DATACENTER_ORG = new RegExp(DATACENTER_ORG_PATTERNS.map((p) => `(?:${p})`).join("|"), "i");

/** True when the AS organisation is a cloud or hosting provider (e.g. "Amazon.com, Inc.", "Hetzner Online GmbH"). */
export function isDatacenterOrg(org: string): boolean {
  if (typeof org !== "string" || org === "") return false;
  return DATACENTER_ORG.test(org.slice(0, 200));
}
