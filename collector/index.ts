import type { Env } from "./env";
import type { QueuedBody } from "./events";
import { runExport } from "./export/run";
import { createApp } from "./http/app";
import { consumeDeadLetters, consumeEvents } from "./pipeline/consumer";

// The Worker: fetch (HTTP), queue (pipeline consumer and dead letters), scheduled (export).
const app = createApp();

// Named in wrangler.toml; only handlers may be exported from the main module.
const DEAD_LETTER_QUEUE = "foothold-events-dlq";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
  // The cron in wrangler.toml: Parquet export of what arrived since the last run.
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    const report = await runExport(env);
    console.log("export", JSON.stringify(report));
  },
} satisfies ExportedHandler<Env, QueuedBody>;
