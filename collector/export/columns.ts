import type { EnrichedEvent } from "../events";

// The one wide events table (SPEC §7) as data: the Parquet writer builds its schema from this
// list and the README's column table is rendered from it, so the two cannot drift apart.

/** Fields of the queue's event that are signals for the pipeline, not columns. */
export type PipelineOnly = "legacy_email_hash" | "hosting_network";

/** One archived event: the enriched row plus what the pipeline learned about it. */
export type ExportRow = Omit<EnrichedEvent, PipelineOnly> & {
  /** null for events outside a visitor session (server-side identify, alias, …) */
  session_id: string | null;
  account_domain: string | null;
};

export type ColumnType = "STRING" | "INT64" | "BOOLEAN" | "TIMESTAMP" | "DOUBLE" | "JSON";

export interface ExportColumn {
  name: keyof ExportRow;
  type: ColumnType;
  /** false: the column is REQUIRED in Parquet (NOT NULL in the warehouse) */
  nullable: boolean;
  description: string;
}

// Generic so the list keeps each literal name: the coverage check below needs them.
const col = <N extends keyof ExportRow>(name: N, type: ColumnType, nullable: boolean, description: string) => ({
  name,
  type,
  nullable,
  description,
});

/** Column order is the warehouse's: identity first, then time, page, acquisition, client, payload. */
export const EXPORT_COLUMNS = [
  col("message_id", "STRING", false, "Unique event id (the client's messageId); the key to dedupe on when loading."),
  col("type", "STRING", false, "Segment call type: track, page, screen, identify, group or alias."),
  col("event", "STRING", true, "track: the event name (form_submit, download, …); page: the page name if given."),
  col("site_id", "STRING", false, "The site (write key owner) the event was sent to."),
  col("anonymous_id", "STRING", true, "The visitor's anonymous id (first-party cookie or the client's anonymousId)."),
  col("user_id", "STRING", true, "Your user id, from identify or any call that carries it."),
  col("session_id", "STRING", true, "Session the event belongs to (a new one after 30 minutes idle or a new campaign); null outside visitor sessions."),
  col("account_domain", "STRING", true, "The company the visitor is resolved to (group call, work email domain or network owner), as a domain; as of when the file was written, so earlier anonymous events carry it too."),
  col("group_id", "STRING", true, "group: the account the visitor states (domain or id)."),
  col("previous_id", "STRING", true, "alias: the previous id."),
  col("timestamp", "TIMESTAMP", false, "When the event happened, UTC, millisecond precision: the client's time corrected for its clock's error (received_at − (sent_at − original_timestamp), as Segment does) when the client sent its send time; clamped to received_at when in the future."),
  col("received_at", "TIMESTAMP", false, "Time the collector accepted the event, UTC, millisecond precision; the date partition (dt=) is its date."),
  col("original_timestamp", "TIMESTAMP", true, "The client's own timestamp as sent, before clock correction; null when it sent none."),
  col("url", "STRING", true, "Page URL (http/https only, credentials removed, at most 2,000 characters)."),
  col("path", "STRING", true, "Path of the page URL."),
  col("title", "STRING", true, "Page title."),
  col("referrer", "STRING", true, "Referring URL as the browser reported it."),
  col("referrer_host", "STRING", true, "Referrer host, lower-cased, without www.; null when absent or the site's own domain."),
  col("utm_source", "STRING", true, "utm_source of the landing URL or context.campaign.source."),
  col("utm_medium", "STRING", true, "utm_medium."),
  col("utm_campaign", "STRING", true, "utm_campaign."),
  col("utm_term", "STRING", true, "utm_term."),
  col("utm_content", "STRING", true, "utm_content."),
  col("gclid", "STRING", true, "Google Ads click id."),
  col("msclkid", "STRING", true, "Microsoft Ads click id."),
  col("li_fat_id", "STRING", true, "LinkedIn Ads click id."),
  col("fbclid", "STRING", true, "Meta click id."),
  col("ttclid", "STRING", true, "TikTok click id."),
  col("channel", "STRING", false, "Acquisition channel: Direct, Organic Search, Paid Search, Organic Social, Paid Social, Email, Referral, Display, Affiliate or Other."),
  col("country", "STRING", true, "Visitor country, ISO 3166-1 alpha-2."),
  col("region", "STRING", true, "Visitor region."),
  col("city", "STRING", true, "Visitor city."),
  col("asn", "INT64", true, "Autonomous system number of the visitor's network."),
  col("as_org", "STRING", true, "Organisation owning that network."),
  col("user_agent", "STRING", true, "User-Agent header (at most 512 characters)."),
  col("browser", "STRING", true, "Browser name parsed from the user agent."),
  col("os", "STRING", true, "Operating system parsed from the user agent."),
  col("device", "STRING", true, "Device type: desktop, mobile, tablet, …"),
  col("is_bot", "BOOLEAN", false, "True when the event is judged to come from a bot (see bot_reason)."),
  col("bot_reason", "STRING", true, "Why: no-user-agent, headless, user-agent or datacenter-asn."),
  col("email_hash", "STRING", true, "HMAC-SHA256 hex (keyed with the deployment's HASH_SECRET) of the lower-cased email from identify traits or a form; the address itself is never kept."),
  col("email_domain", "STRING", true, "Domain of that email."),
  col("properties", "JSON", false, "Event properties as JSON text (Parquet JSON type)."),
  col("traits", "JSON", false, "identify/group traits as JSON text, email removed (Parquet JSON type)."),
] as const satisfies readonly ExportColumn[];

// Fails to compile when EnrichedEvent gains a field that has no column here.
type Uncovered = Exclude<keyof ExportRow, (typeof EXPORT_COLUMNS)[number]["name"]>;
const everyFieldHasAColumn: [Uncovered] extends [never] ? true : Uncovered = true;
void everyFieldHasAColumn;

const WAREHOUSE_TYPE: Record<ColumnType, string> = {
  STRING: "STRING",
  INT64: "INT64",
  BOOLEAN: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP (UTC, ms)",
  DOUBLE: "DOUBLE",
  JSON: "JSON",
};

/** The README's column table, one row per column in file order. */
export function columnsMarkdown(): string {
  const lines = ["| Column | Type | Null | Description |", "| --- | --- | --- | --- |"];
  for (const c of EXPORT_COLUMNS) {
    const description = c.description.replaceAll("|", "\\|");
    lines.push(`| \`${c.name}\` | ${WAREHOUSE_TYPE[c.type]} | ${c.nullable ? "yes" : "no"} | ${description} |`);
  }
  return lines.join("\n") + "\n";
}

const PIPELINES_TYPE: Record<ColumnType, string> = {
  STRING: "string",
  INT64: "int64",
  BOOLEAN: "bool",
  TIMESTAMP: "timestamp",
  DOUBLE: "float64",
  JSON: "json",
};

/** The same table as a Cloudflare Pipelines stream schema (`wrangler pipelines streams create --schema-file`). */
export function pipelinesSchema(): { fields: Array<{ name: string; type: string; required: boolean }> } {
  return { fields: EXPORT_COLUMNS.map((c) => ({ name: c.name, type: PIPELINES_TYPE[c.type], required: !c.nullable })) };
}
