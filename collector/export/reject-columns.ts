import type { RejectedEvent } from "../events";
import type { ParquetColumn } from "./parquet";

// The rejects table (SPEC §3 "rejected events are kept, with the reason"), exported beside the
// events under rejects/dt=YYYY-MM-DD/. Small and stable; the payload stays text because it was
// truncated at 32 KB and may no longer be valid JSON.

export const REJECTS_SCHEMA_VERSION = "foothold.rejects.v1";

interface RejectColumn extends ParquetColumn<RejectedEvent> {
  description: string;
}

export const REJECT_COLUMNS: readonly RejectColumn[] = [
  { name: "reject_id", type: "STRING", nullable: false, description: "Unique id of the refusal." },
  { name: "site_id", type: "STRING", nullable: true, description: "The site, when the write key was known." },
  { name: "received_at", type: "TIMESTAMP", nullable: false, description: "Time the collector refused the event, UTC; the dt= partition is its date." },
  { name: "code", type: "STRING", nullable: false, description: "Machine-readable reason, e.g. event_too_large, invalid_type." },
  { name: "reason", type: "STRING", nullable: false, description: "The reason as a sentence." },
  { name: "payload", type: "STRING", nullable: false, description: "The event as sent, as text, cut at 32 KB." },
];

/** The README's rejects table. */
export function rejectColumnsMarkdown(): string {
  const lines = ["| Column | Type | Null | Description |", "| --- | --- | --- | --- |"];
  for (const c of REJECT_COLUMNS) {
    const type = c.type === "TIMESTAMP" ? "TIMESTAMP (UTC, ms)" : c.type;
    lines.push(`| \`${c.name}\` | ${type} | ${c.nullable ? "yes" : "no"} | ${c.description} |`);
  }
  return lines.join("\n") + "\n";
}
