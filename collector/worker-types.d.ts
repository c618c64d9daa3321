// Tells `cloudflare:workers` (env, exports) the shape of this Worker.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ARCHIVE: R2Bucket;
    EVENTS: Queue;
    DLQ: Queue;
    /** alert deliveries (SPEC §11), consumed by collector/signals/deliver.ts */
    ALERTS: Queue;
    /** an erasure's steps (collector/privacy/tasks.ts) */
    ERASURE: Queue;
    /** objects an erasure step reads before it hands on to the next message (default 100) */
    ERASURE_PAGE_OBJECTS?: string;
    ADMIN_TOKEN?: string;
    /** keys every email hash (HMAC-SHA256); `wrangler secret put HASH_SECRET` */
    HASH_SECRET?: string;
    /** tests and local trials only: delays of the first alert retries in seconds, e.g. "1,1" (collector/signals/schedule.ts) */
    ALERT_RETRY_SECONDS?: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
