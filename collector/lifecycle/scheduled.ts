// The hourly cron (wrangler.toml): finish an upgrade's move of first-version rows to R2, export
// what arrived to Parquet, apply retention, take the day's D1 size reading, check the alert rules
// that fire on account state (surging, score_above) and re-send lost deliveries, and re-send
// erasure steps whose messages were lost. Each step's failure is logged and the next one still
// runs: they are independent and all re-runnable.
import type { Env } from "../env";
import { runExport } from "../export/run";
import { resumeErasures } from "../privacy/tasks";
import { moveLegacyChunk } from "../storage/legacy";
import { runAlertChecks } from "../signals/checks";
import { recordRun } from "../storage/lifecycle";
import { runRetention } from "./retention";
import { recordDatabaseSize } from "./status";

/** Upgrade chunks per run: about 2,000 rows each, well inside a scheduled invocation's limits. */
const UPGRADE_CHUNKS = 50;

export async function runScheduled(env: Env): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    try {
      out[name] = await work();
    } catch (err) {
      out[name] = { error: err instanceof Error ? err.message : String(err) };
      console.error(`scheduled: ${name} failed`, out[name]);
    }
  };
  await step("upgrade", async () => {
    let chunks = 0;
    while (chunks < UPGRADE_CHUNKS && (await moveLegacyChunk(env))) chunks++;
    return { chunks };
  });
  await step("export", async () => {
    const report = await runExport(env);
    await recordRun(env.DB, "export", report);
    return report;
  });
  await step("retention", () => runRetention(env));
  await step("size", () => recordDatabaseSize(env.DB));
  await step("alerts", () => runAlertChecks(env));
  await step("erasures", () => resumeErasures(env));
  return out;
}

/** POST /v1/export/run: the export now (after moving an upgrade's remaining rows, so none is left behind). */
export async function runExportNow(env: Env) {
  for (let i = 0; i < UPGRADE_CHUNKS && (await moveLegacyChunk(env)); i++);
  const report = await runExport(env);
  await recordRun(env.DB, "export", report);
  return report;
}
