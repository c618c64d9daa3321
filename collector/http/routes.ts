import type { Handler, Hono, MiddlewareHandler } from "hono";
import { requireScope, type Caller, type Scope } from "../auth/scopes";
import type { Env } from "../env";

export type AppEnv = { Bindings: Env; Variables: { caller: Caller } };
export type App = Hono<AppEnv>;

/** What GET /v1/openapi.json says about a route; every route is registered through `route()`. */
export interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  /** an API key scope, the site's write key, or none */
  auth: Scope | "write_key" | "none";
  tag: "ingest" | "management" | "accounts" | "revenue" | "export" | "meta";
  query?: Record<string, string>;
  body?: { contentTypes: string[]; description: string };
  responses: Record<number, string>;
}

const registry: RouteDoc[] = [];

export function route(app: App, doc: RouteDoc, handler: Handler<AppEnv>): void {
  registry.push(doc);
  const chain: MiddlewareHandler<AppEnv>[] =
    doc.auth === "none" || doc.auth === "write_key" ? [] : [requireScope(doc.auth)];
  app.on([doc.method.toUpperCase()], [doc.path], ...chain, handler);
}

export function documentedRoutes(): readonly RouteDoc[] {
  return registry;
}
