/** The Worker's bindings (wrangler.toml). */
export interface Env {
  DB: D1Database;
  ARCHIVE: R2Bucket;
  EVENTS: Queue;
  DLQ: Queue;
  /** Bearer token with every scope; a secret in production. */
  ADMIN_TOKEN?: string;
}
