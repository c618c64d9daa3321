import { readStatus } from "../lifecycle/status";
import { readRetention, writeRetention, type Retention } from "../storage/retention";
import { readJson } from "./body";
import { badRequest } from "./errors";
import { route, type App } from "./routes";

// Operations (SPEC §12): how D1 is doing, and how long data is kept.

const LIMITS: Record<keyof Retention, [min: number, max: number, why: string]> = {
  // The snippet re-sends for up to 7 days: a shorter window would count its re-sends twice.
  dedupe_days: [7, 400, "at least 7 (the snippet re-sends for up to 7 days)"],
  raw_days: [1, 3650, "1 to 3650"],
  rollup_days: [1, 3650, "1 to 3650"],
};

function retentionInput(body: unknown, current: Retention): Retention {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("invalid_body", "Send { dedupe_days?, raw_days?, rollup_days? }.");
  const next = { ...current };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!(key in LIMITS)) throw badRequest("invalid_body", `Unknown setting \`${key.slice(0, 50)}\`; the settings are dedupe_days, raw_days, rollup_days.`);
    const [min, max, why] = LIMITS[key as keyof Retention];
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw badRequest("invalid_body", `\`${key}\` must be a whole number of days, ${why}.`);
    next[key as keyof Retention] = value as number;
  }
  return next;
}

export function operationsRoutes(app: App): void {
  route(
    app,
    {
      method: "get", path: "/v1/status", summary: "D1 size, growth and days to the 10 GB cap; last 24 h; dead letters; last export and retention runs", auth: "admin", tag: "management",
      responses: { 200: "{ d1: { bytes, cap_bytes, used, growth_bytes_per_day, days_until_cap }, last_24h: { events, rejects }, dead_letters, retention, last_export, last_retention, upgrade }" },
    },
    async (c) => c.json(await readStatus(c.env)),
  );
  route(
    app,
    {
      method: "get", path: "/v1/settings/retention", summary: "How long dedupe keys, raw events and rollups are kept (days)", auth: "admin", tag: "management",
      responses: { 200: "{ dedupe_days, raw_days, rollup_days }" },
    },
    async (c) => c.json(await readRetention(c.env.DB)),
  );
  route(
    app,
    {
      method: "put", path: "/v1/settings/retention", summary: "Change retention; the hourly job applies it", auth: "admin", tag: "management",
      body: { contentTypes: ["application/json"], description: "{ dedupe_days?, raw_days?, rollup_days? } (whole days)" },
      responses: { 200: "{ dedupe_days, raw_days, rollup_days }", 400: "A value out of range" },
    },
    async (c) => {
      const next = retentionInput(await readJson(c, 4096), await readRetention(c.env.DB));
      await writeRetention(c.env.DB, next, new Date().toISOString());
      return c.json(next);
    },
  );
}
