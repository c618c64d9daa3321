import type { Env } from "./env";
import type { QueuedBody } from "./events";
import { createApp } from "./http/app";
import { runScheduled } from "./lifecycle/scheduled";
import { consumeDeadLetters, consumeEvents } from "./pipeline/consumer";

// The Worker: fetch (HTTP), queue (pipeline consumer and dead letters), scheduled (upgrade,
// export, retention, size reading).
const app = createApp();

// Named in wrangler.toml; only handlers may be exported from the main module.
const DEAD_LETTER_QUEUE = "foothold-events-dlq";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueuedBody>, env: Env): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
  // The cron in wrangler.toml (collector/lifecycle/scheduled.ts).
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    console.log("scheduled", JSON.stringify(await runScheduled(env)));
  },
} satisfies ExportedHandler<Env, QueuedBody>;
