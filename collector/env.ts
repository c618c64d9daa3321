/** The Worker's bindings (wrangler.toml), declared once in worker-types.d.ts. */
export type Env = Cloudflare.Env;
