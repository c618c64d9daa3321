// Tells `cloudflare:workers` (env, exports) the shape of this Worker.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ARCHIVE: R2Bucket;
    EVENTS: Queue;
    DLQ: Queue;
    /** an erasure's steps (collector/privacy/tasks.ts) */
    ERASURE: Queue;
    /** objects an erasure step reads before it hands on to the next message (default 100) */
    ERASURE_PAGE_OBJECTS?: string;
    ADMIN_TOKEN?: string;
    /** keys every email hash (HMAC-SHA256); `wrangler secret put HASH_SECRET` */
    HASH_SECRET?: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
