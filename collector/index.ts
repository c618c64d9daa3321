import type { Env } from "./env";
import type { QueueMessageBody } from "./events";
import { createApp } from "./http/app";
import { consumeDeadLetters, consumeEvents } from "./pipeline/consumer";

// The Worker: fetch (HTTP), queue (pipeline consumer and dead letters), scheduled (export).
const app = createApp();

// Named in wrangler.toml; only handlers may be exported from the main module.
const DEAD_LETTER_QUEUE = "foothold-events-dlq";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessageBody>, env: Env): Promise<void> {
    if (batch.queue === DEAD_LETTER_QUEUE) await consumeDeadLetters(batch, env);
    else await consumeEvents(batch, env);
  },
} satisfies ExportedHandler<Env, QueueMessageBody>;
