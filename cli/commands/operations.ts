// How the deployment is doing (GET /v1/status) and how long it keeps data (retention).
import type { Retention, Status } from "../client/client";
import { type Command, EXIT, str, UsageError } from "../command";

const json = { json: { type: "boolean" as const, help: "print the API's JSON instead of text" } };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function statusText(s: Status): string[] {
  const d1 = s.d1;
  const growth = d1.growth_bytes_per_day === null ? "not measured yet (the hourly job takes a reading a day)" : `${mb(d1.growth_bytes_per_day)} a day`;
  const cap = d1.days_until_cap === null ? "" : `; the 10 GB cap in ${d1.days_until_cap.toLocaleString("en-US")} days at that rate`;
  const run = (r: Record<string, unknown> | null) => (r && typeof r.at === "string" ? r.at.replace("T", " ").slice(0, 16) + " UTC" : "never");
  return [
    `D1:             ${mb(d1.bytes)} of 10 GB (${(d1.used * 100).toFixed(2)}%), growing ${growth}${cap}`,
    `Last 24 hours:  ${s.last_24h.events.toLocaleString("en-US")} events accepted, ${s.last_24h.rejects.toLocaleString("en-US")} refused`,
    `Dead letters:   ${s.dead_letters.pending} waiting, ${s.dead_letters.replayed} replayed${s.dead_letters.pending ? " (foothold dead letters are replayed with POST /v1/dead-letters/replay)" : ""}`,
    `Retention:      dedupe keys ${s.retention.dedupe_days} days, raw events ${s.retention.raw_days} days, rollups ${s.retention.rollup_days} days`,
    `Last export:    ${run(s.last_export)}`,
    `Last retention: ${run(s.last_retention)}`,
    ...(s.upgrade.pending ? ["Upgrade:        first-version events are still being moved to R2 (the hourly job finishes it)"] : []),
  ];
}

export const statusReport: Command = {
  words: ["status"],
  summary: "Show D1's size and growth, the last day's events, dead letters and the last export and retention runs",
  options: { ...json },
  async run(ctx) {
    const s = await ctx.client().status();
    ctx.out(ctx.values.json ? JSON.stringify(s, null, 2) : statusText(s).join("\n"));
    return EXIT.ok;
  },
};

const DAYS: Record<string, keyof Retention> = { "dedupe-days": "dedupe_days", "raw-days": "raw_days", "rollup-days": "rollup_days" };

export const retentionSettings: Command = {
  words: ["retention"],
  summary: "Show or change how long dedupe keys, raw events and rollups are kept",
  options: {
    "dedupe-days": { type: "string", help: "<days>  re-sends inside this window count once (at least 7)" },
    "raw-days": { type: "string", help: "<days>  raw events kept in R2, by event time" },
    "rollup-days": { type: "string", help: "<days>  day rollups and sessions kept in D1, by event time" },
    ...json,
  },
  details: ["Example: foothold retention --raw-days 400 --rollup-days 400"],
  async run(ctx) {
    const change: Partial<Retention> = {};
    for (const [flag, key] of Object.entries(DAYS)) {
      const v = str(ctx.values[flag]);
      if (v === undefined) continue;
      if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a whole number of days.`);
      change[key] = Number(v);
    }
    const client = ctx.client();
    const r = Object.keys(change).length ? await client.retention.set(change) : await client.retention.get();
    ctx.out(ctx.values.json ? JSON.stringify(r, null, 2) : `Dedupe keys ${r.dedupe_days} days, raw events ${r.raw_days} days, rollups ${r.rollup_days} days.`);
    return EXIT.ok;
  },
};
