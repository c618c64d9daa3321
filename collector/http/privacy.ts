import { startErasure } from "../privacy/start";
import { erasureLog, erasureStatus } from "../privacy/status";
import * as api from "./api/privacy";
import { ApiError, badRequest } from "./errors";
import { implement, type App } from "./routes";

// Erasure (SPEC §13): start one, follow it, read the log. The work runs on the erasure queue.

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function privacyRoutes(app: App): void {
  implement(app, api.erase, async (c) => {
    const key = c.req.valid("json");
    if ("email" in key && !EMAIL.test(key.email)) throw badRequest("invalid_email", "`email` must be an email address, e.g. jane@acme.com.");
    const secret = c.env.HASH_SECRET;
    // Emails are found by their keyed hash: without the secret the person cannot be found.
    if (!secret) throw new ApiError(503, "hash_secret_missing", "The collector has no HASH_SECRET, so it cannot find a person by their hashed identifiers: set it with `wrangler secret put HASH_SECRET`.");
    const { id } = await startErasure(c.env, secret, key, c.get("caller").keyId ?? "admin");
    return c.json({ id, status: "running" as const }, 202);
  });
  implement(app, api.getErasure, async (c) => {
    const found = await erasureStatus(c.env.DB, c.req.valid("param").id);
    if (!found) throw new ApiError(404, "not_found", "No erasure has that id.");
    return c.json(found, 200);
  });
  implement(app, api.listErasures, async (c) => {
    const { limit, before } = c.req.valid("query");
    return c.json(await erasureLog(c.env.DB, limit, before ?? null), 200);
  });
}
