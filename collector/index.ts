import type { Env } from "./env";
import type { QueuedBody } from "./events";
import { createApp } from "./http/app";
import { runScheduled } from "./lifecycle/scheduled";
import { consumeDeadLetters, consumeEvents } from "./pipeline/consumer";
import { type AlertMessage, consumeAlerts } from "./signals/deliver";
import { consumeErasures, type ErasureMessage } from "./privacy/tasks";

// The Worker: fetch (HTTP), queue (pipeline consumer, dead letters, alert deliveries, erasure
// steps), scheduled (upgrade, export, retention, size reading, alert checks, lost erasure steps).
const app = createApp();

// Named in wrangler.toml; only handlers may be exported from the main module.
const DEAD_LETTER_QUEUE = "foothold-events-dlq";
const ALERTS_QUEUE = "foothold-alerts";
const ERASURE_QUEUE = "foothold-erasure";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueuedBody | AlertMessage | ErasureMessage>, env: Env): Promise<void> {
    if (batch.queue === ALERTS_QUEUE) await consumeAlerts(batch as MessageBatch<AlertMessage>, env);
    else if (batch.queue === ERASURE_QUEUE) await consumeErasures(batch as MessageBatch<ErasureMessage>, env);
    else if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch as MessageBatch<QueuedBody>, env);
    else await consumeEvents(batch as MessageBatch<QueuedBody>, env);
  },
  // The cron in wrangler.toml (collector/lifecycle/scheduled.ts).
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    console.log("scheduled", JSON.stringify(await runScheduled(env)));
  },
} satisfies ExportedHandler<Env, QueuedBody | AlertMessage | ErasureMessage>;
