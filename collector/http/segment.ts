import type { Context } from "hono";
import { siteForWriteKey } from "../auth/write-keys";
import type { RequestFacts } from "../ingest/build";
import { ingest } from "../ingest/ingest";
import { channelRules } from "../storage/channel-rules";
import { MAX_EVENTS_PER_REQUEST, MAX_REQUEST_BYTES } from "../ingest/limits";
import type { EventType } from "../protocol";
import { siteByWriteKey, type Site } from "../storage/sites";
import { readJson } from "./body";
import { ApiError, badRequest } from "./errors";
import { checkOrigin } from "./origin";
import * as api from "./api/ingest";
import { implement, type App, type AppEnv } from "./routes";

// Segment's HTTP Tracking API, so existing SDKs send here unchanged.
// https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function writeKeyFrom(c: Context<AppEnv>, body: Record<string, unknown>): string {
  const auth = c.req.header("authorization");
  if (auth?.toLowerCase().startsWith("basic ")) {
    try {
      const decoded = atob(auth.slice(6).trim());
      const user = decoded.slice(0, decoded.indexOf(":") >= 0 ? decoded.indexOf(":") : undefined);
      if (user) return user;
    } catch {
      throw new ApiError(401, "invalid_write_key", "The Basic authorization header is not valid base64.");
    }
  }
  if (typeof body.writeKey === "string" && body.writeKey) return body.writeKey;
  throw new ApiError(401, "missing_write_key", "Send the write key as the Basic auth user name or as `writeKey`.");
}

export async function authenticateSite(c: Context<AppEnv>, writeKey: string): Promise<Site> {
  const site = await siteForWriteKey(writeKey, (key) => siteByWriteKey(c.env.DB, key));
  if (!site) throw new ApiError(401, "unknown_write_key", "No site has this write key.");
  checkOrigin(site, c.req.header("origin"));
  return site;
}

/** Every email hash is keyed with HASH_SECRET; without it nothing is taken (never a plain hash). */
function hashSecret(c: Context<AppEnv>): string {
  const secret = c.env.HASH_SECRET;
  if (typeof secret === "string" && secret.length > 0) return secret;
  console.error("HASH_SECRET is not set: ingest refuses events until it is (wrangler secret put HASH_SECRET)");
  throw new ApiError(
    503,
    "hash_secret_missing",
    "The collector has no HASH_SECRET, so it cannot hash emails: set it with `wrangler secret put HASH_SECRET` (npm run dev writes a local one into .dev.vars).",
  );
}

export async function requestFacts(c: Context<AppEnv>, origin: "browser" | "server"): Promise<RequestFacts> {
  return {
    hashSecret: hashSecret(c),
    receivedAt: Date.now(),
    origin,
    cf: (c.req.raw.cf ?? null) as Record<string, unknown> | null,
    userAgent: c.req.header("user-agent") ?? null,
    channelRules: await channelRules(c.env.DB),
  };
}

async function handle(c: Context<AppEnv>, events: (body: Record<string, unknown>) => unknown[]) {
  const body = await readJson(c, MAX_REQUEST_BYTES);
  if (!isObject(body)) throw badRequest("invalid_body", "The body must be a JSON object.");
  const site = await authenticateSite(c, writeKeyFrom(c, body));
  const raw = events(body);
  if (raw.length > MAX_EVENTS_PER_REQUEST) {
    throw new ApiError(413, "too_many_events", `A batch may hold at most ${MAX_EVENTS_PER_REQUEST} events.`);
  }
  // analytics.js runs in a browser and says so with an Origin; backends don't.
  const result = await ingest(c.env, site, raw, await requestFacts(c, c.req.header("origin") ? "browser" : "server"));
  if (result.accepted === 0 && result.rejected.length > 0) {
    const first = result.rejected[0];
    return c.json({ error: { code: first.code, message: first.message }, rejected: result.rejected }, 400);
  }
  return c.json({ success: true, ...(result.rejected.length ? { rejected: result.rejected } : {}) }, 200);
}

/**
 * A batch's top-level context is merged under each event's own (Segment's batch semantics), and
 * its top-level sentAt (analytics-node sends one per batch) is each event's unless it has its own.
 */
function batchEvents(body: Record<string, unknown>): unknown[] {
  if (!Array.isArray(body.batch)) throw badRequest("invalid_batch", "`batch` must be an array of events.");
  const shared = isObject(body.context) ? body.context : null;
  return body.batch.map((e) => {
    if (!isObject(e)) return e;
    const sentAt = e.sentAt ?? body.sentAt;
    const context = shared ? { context: { ...shared, ...(isObject(e.context) ? e.context : {}) } } : {};
    return { ...e, ...context, ...(sentAt === undefined ? {} : { sentAt }) };
  });
}

const SINGLE: EventType[] = ["track", "page", "screen", "identify", "group", "alias"];


/** Every path of the Segment API here (the app gives them CORS for analytics.js). */
export const SEGMENT_PATHS = ["/v1/batch", ...SINGLE.map((type) => `/v1/${type}`), ...Object.keys(api.ANALYTICS_JS_PATHS).map((letter) => `/v1/${letter}`)];

export function segmentRoutes(app: App): void {
  implement(app, api.segmentBatch, (c) => handle(c, batchEvents));
  for (const type of SINGLE) implement(app, api.segmentCall(type), (c) => handle(c, (body) => [{ ...body, type }]));
  for (const letter of Object.keys(api.ANALYTICS_JS_PATHS) as (keyof typeof api.ANALYTICS_JS_PATHS)[]) {
    const type = api.ANALYTICS_JS_PATHS[letter];
    implement(app, api.analyticsJsCall(letter), (c) => handle(c, type === "batch" ? batchEvents : (body) => [{ ...body, type }]));
  }
}
