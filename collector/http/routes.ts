import { OpenAPIHono, type RouteConfig, type RouteHandler, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requireScope, type Caller, type Scope } from "../auth/scopes";
import type { Env } from "../env";
import type { ScopeName } from "./api/define";
import { ApiError } from "./errors";
import { invalidInput } from "./validation";

/**
 * Adding a route — one declaration drives validation, /v1/openapi.json and the typed clients:
 *
 * 1. Declare it in `collector/http/api/<area>.ts` with `createRoute`: method, path (`{param}`),
 *    tags, summary, `...secured("read")` (or `byWriteKey`, `open`), `request` (params, query as
 *    `z.strictObject`, JSON body) and every response with a schema (`json(schema, "…")`,
 *    `...errors(400, 401, 403)`). Add it to that file's route list; `api/index.ts` joins the
 *    lists into `ApiType`, which the CLI's and the dashboard's `hc` client are typed from.
 *    Declarations import only zod and pure modules, never storage: clients type-check them.
 * 2. Implement it in `collector/http/<area>.ts`: `implement(app, route, async (c) => …)`. Read
 *    input with `c.req.valid("query" | "param" | "json")` (already checked: a bad value is a 400
 *    `invalid_query` / `invalid_path` / `invalid_body` naming it), do the work in a module, and
 *    `return c.json(answer, 200)`: the answer must match the declared response schema, or
 *    `npm run typecheck` fails. Throw `ApiError` for the rest (404, 409, checks that need data).
 * 3. Document it in README.md; use it from `cli/client/client.ts` (`api.v1.<path>.$get(…)`).
 *
 * `implement()` adds what the declaration says: the scope's bearer check (401/403) before any
 * validation, and a body-size limit (413) before a JSON body is read.
 */

export type AppEnv = { Bindings: Env; Variables: { caller: Caller } };
export type App = OpenAPIHono<AppEnv>;

export const createApi = (): App => new OpenAPIHono<AppEnv>();

// The declarations name scopes without importing auth/ (clients compile them): same lists, both ways.
const scopesAgree: [Scope] extends [ScopeName] ? ([ScopeName] extends [Scope] ? true : never) : never = true;
void scopesAgree;

/** JSON request bodies of management routes; imports read their own (larger) bodies. */
const MAX_JSON_BODY = 64 * 1024;

function scopeOf(route: RouteConfig): ScopeName | null {
  const entry = route.security?.find((s) => "bearer" in s);
  return entry ? ((entry.bearer[0] as ScopeName | undefined) ?? "admin") : null;
}

function keysOf(schema: unknown): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

export interface ImplementOptions {
  /** bytes a schema-checked JSON body may have (default 64 KB) */
  maxBody?: number;
  /** Hono's path when the declared one cannot say it, e.g. `/files/:key{.+}` for keys with slashes */
  routingPath?: string;
}

export function implement<R extends RouteConfig>(app: App, route: R, handler: RouteHandler<R, AppEnv>, opts: ImplementOptions = {}): void {
  const scope = scopeOf(route);
  const middleware: MiddlewareHandler<AppEnv>[] = [];
  if (scope) middleware.push(requireScope(scope));
  // Only bodies the schema reads; routes that read their own (imports, ingest) enforce their limits.
  const validated = Object.values(route.request?.body?.content ?? {}).some((media) => !!media && "schema" in media && media.schema instanceof z.ZodType);
  if (validated) {
    const max = opts.maxBody ?? MAX_JSON_BODY;
    middleware.push(bodyLimit({ maxSize: max, onError: () => { throw new ApiError(413, "request_too_large", `A request may be at most ${Math.round(max / 1024)} KB.`); } }));
  }
  const jsonBody = route.request?.body?.content?.["application/json"];
  const allowed = { query: keysOf(route.request?.query), param: keysOf(route.request?.params), json: keysOf(jsonBody && "schema" in jsonBody ? jsonBody.schema : undefined) };
  if (opts.routingPath) app.openAPIRegistry.registerPath(route);
  const routed = opts.routingPath ? { ...route, path: opts.routingPath, hide: true } : route;
  const hook = (result: { target: string; success: boolean; error?: z.ZodError }) => {
    if (!result.success) throw invalidInput(result.target, result.error!, allowed[result.target as keyof typeof allowed] ?? []);
  };
  app.openapi({ ...routed, middleware }, handler as never, hook as never);
}
