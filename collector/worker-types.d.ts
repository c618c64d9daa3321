// Tells `cloudflare:workers` (env, exports) the shape of this Worker.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ARCHIVE: R2Bucket;
    EVENTS: Queue;
    DLQ: Queue;
    ADMIN_TOKEN?: string;
    /** keys every email hash (HMAC-SHA256); `wrangler secret put HASH_SECRET` */
    HASH_SECRET?: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
