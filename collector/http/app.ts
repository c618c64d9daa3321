import { Hono } from "hono";
import { cors } from "hono/cors";
import { accountRoutes } from "./accounts";
import { channelRoutes } from "./channels";
import { dashboardRoutes } from "./dashboard";
import { errorResponse } from "./errors";
import { exportRoutes } from "./export";
import { managementRoutes } from "./management";
import { openApiDocument } from "./openapi";
import { revenueRoutes } from "./revenue";
import { documentedRoutes, route, type AppEnv } from "./routes";
import { SEGMENT_PATHS, segmentRoutes } from "./segment";
import { trackerRoutes } from "./tracker";

/** The collector's HTTP face: routes only; each hands the work to a module. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Browsers send events cross-origin (the snippet, analytics.js); the Origin itself is
  // checked against the site's domains once the write key is known.
  const ingestCors = cors({ origin: (o) => o, allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Content-Type", "Authorization"], maxAge: 86400 });
  // The snippet sends with credentials (the first-party visitor cookie): the exact Origin is
  // echoed, never "*", with Access-Control-Allow-Credentials.
  app.use("/e", cors({ origin: (o) => o, allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Content-Type"], credentials: true, maxAge: 86400 }));
  for (const path of SEGMENT_PATHS) app.use(path, ingestCors);

  trackerRoutes(app);
  segmentRoutes(app);
  managementRoutes(app);
  channelRoutes(app);
  accountRoutes(app);
  dashboardRoutes(app);
  revenueRoutes(app);
  exportRoutes(app);

  route(
    app,
    { method: "get", path: "/v1/openapi.json", summary: "This document", auth: "none", tag: "meta", responses: { 200: "OpenAPI 3.1" } },
    (c) => c.json(openApiDocument(documentedRoutes(), new URL(c.req.url).origin)),
  );
  route(
    app,
    { method: "get", path: "/", summary: "Health and pointers", auth: "none", tag: "meta", responses: { 200: "{ name, docs }" } },
    (c) => c.json({ name: "foothold", ok: true, docs: "/v1/openapi.json", snippet: "/s.js", dashboard: "/dashboard" }),
  );

  app.notFound((c) => c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` } }, 404));
  app.onError((err, c) => errorResponse(c, err));
  return app;
}
