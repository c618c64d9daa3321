// Whether an AS organisation can stand for one company (SPEC §5 rule 3). ASN matching is
// opt-in (only the AS numbers listed on an account ever match), so this is the guard against
// a listed ASN that really belongs to an ISP, carrier or cloud: resolving Comcast's AS to one
// account would pour thousands of households into its score.
//
// Which side we err on: NOT resolving. A company AS wrongly refused loses a weak (0.5)
// resolution that email or group can still supply; an ISP wrongly accepted corrupts an
// account for good. So broad words are matched, and a few companies whose names contain
// them (Juniper Networks, Cloudera) are refused as collateral. A company whose AS also
// carries its customers' traffic (Microsoft/Azure, Google, Amazon, Oracle, Cloudflare,
// Zscaler, Palo Alto Networks) is refused on purpose: its visitors are mostly not its staff.

/** Words that mark access, transit, mobile and hosting networks; matched at the start of a word. */
export const NETWORK_OPERATOR_WORDS: readonly string[] = [
  "telecom", "telekom", "telkom", "telco", "telefonica", "telefonia", "telephone", "telecable",
  "communication", "comunica", "broadband", "cable", "wireless", "mobile", "cellular",
  "internet", "isp", "fiber", "fibre", "fibra", "dsl", "satellite", "infocomm",
  "hosting", "cloud", "datacenter", "datacentre", "colocation", "server", "vps", "vpn", "proxy",
  "network", "backbone", "transit", "cdn",
];

/** Operators named outright (ISPs, carriers, clouds); matched as whole words or phrases. */
export const NETWORK_OPERATOR_NAMES: readonly string[] = [
  // access ISPs and carriers
  "comcast", "charter", "spectrum", "time warner", "cox", "at t", "att", "verizon", "sprint",
  "centurylink", "lumen", "level 3", "qwest", "frontier", "windstream", "mediacom", "altice",
  "optimum", "suddenlink", "rcn", "astound", "vodafone", "deutsche telekom", "orange", "bt",
  "british telecommunications", "sky", "virgin media", "talktalk", "movistar", "o2", "jio",
  "airtel", "bsnl", "chinanet", "china unicom", "china mobile", "ntt", "kddi", "softbank",
  "rogers", "bell canada", "telus", "shaw", "videotron", "telstra", "optus", "tpg", "iinet",
  "swisscom", "kpn", "ziggo", "proximus", "telenet", "free sas", "proxad", "sfr", "bouygues",
  "iliad", "telia", "telenor", "tele2", "elisa", "liberty global", "fastweb", "wind tre",
  "claro", "telmex", "vivo", "mtn", "safaricom", "etisalat", "turkcell", "rostelecom", "mts",
  "vimpelcom", "megafon", "pldt", "singtel", "starhub", "viettel", "vnpt", "chunghwa", "hinet",
  "pccw", "starlink", "spacex",
  // clouds, hosting, CDNs and security proxies
  "amazon", "aws", "google", "microsoft", "azure", "digitalocean", "linode", "akamai", "ovh",
  "hetzner", "scaleway", "vultr", "choopa", "oracle", "softlayer", "alibaba", "aliyun",
  "tencent", "fastly", "leaseweb", "contabo", "ionos", "godaddy", "rackspace", "hostinger",
  "m247", "datacamp", "cdn77", "cogent", "hurricane electric", "zayo", "gtt", "equinix",
  "zscaler", "netskope", "quadranet", "colocrossing", "hivelocity", "psychz",
];

/**
 * True when the AS organisation may stand for one company. An unknown organisation (null or
 * empty, e.g. in local dev) is trusted: the ASN only matches because an account lists it.
 */
export function asnResolvable(asOrg: string | null): boolean {
  if (asOrg === null) return true;
  const spaced = normalise(asOrg);
  if (spaced.trim() === "") return true;
  if (NETWORK_OPERATOR_WORDS.some((w) => spaced.includes(` ${w}`))) return false;
  return !NETWORK_OPERATOR_NAMES.some((n) => spaced.includes(` ${n} `));
}

// "Telefónica de España, S.A.U." → " telefonica de espana s a u ": accents folded and
// punctuation turned into spaces so "AT&T" is " at t " and "T-Mobile" has the word "mobile".
function normalise(org: string): string {
  const folded = org.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return ` ${folded.replace(/[^a-z0-9]+/g, " ")} `;
}
