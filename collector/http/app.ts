import { cors } from "hono/cors";
import { accountRoutes } from "./accounts";
import { alertRoutes } from "./alerts";
import * as meta from "./api/meta";
import { channelRoutes } from "./channels";
import { dashboardRoutes } from "./dashboard";
import { errorResponse } from "./errors";
import { exportRoutes } from "./export";
import { managementRoutes } from "./management";
import { marketingRoutes } from "./marketing";
import { openApiDocument } from "./openapi";
import { operationsRoutes } from "./operations";
import { privacyRoutes } from "./privacy";
import { pipelineRoutes } from "./pipeline";
import { revenueRoutes } from "./revenue";
import { createApi, implement, type App } from "./routes";
import { SEGMENT_PATHS, segmentRoutes } from "./segment";
import { trackerRoutes } from "./tracker";

/** The collector's HTTP face: routes only; each hands the work to a module. */
export function createApp(): App {
  const app = createApi();

  // Browsers send events cross-origin (the snippet, analytics.js); the Origin itself is
  // checked against the site's domains once the write key is known.
  // The snippet sends with credentials (the first-party visitor cookie): the exact Origin is
  // echoed, never "*", with Access-Control-Allow-Credentials.
  app.use("/e", cors({ origin: (o) => o, allowMethods: ["POST", "OPTIONS"], allowHeaders: ["Content-Type"], credentials: true, maxAge: 86400 }));
  // analytics.js adds Authorization, X-Retry-Count on retries, and any headers its config names:
  // a preflight is answered with the headers it asks for (no cookies are read on these paths).
  const segmentCors = cors({ origin: (o) => o, allowMethods: ["POST", "OPTIONS"], maxAge: 86400 });
  for (const path of SEGMENT_PATHS) app.use(path, segmentCors);

  trackerRoutes(app);
  segmentRoutes(app);
  managementRoutes(app);
  channelRoutes(app);
  accountRoutes(app);
  dashboardRoutes(app);
  revenueRoutes(app);
  pipelineRoutes(app);
  marketingRoutes(app);
  exportRoutes(app);
  operationsRoutes(app);
  alertRoutes(app);
  privacyRoutes(app);

  implement(app, meta.openApiDocument, (c) => c.json(openApiDocument(app, new URL(c.req.url).origin), 200));
  implement(app, meta.health, (c) => c.json({ name: "foothold", ok: true, docs: "/v1/openapi.json", snippet: "/s.js", dashboard: "/dashboard" }, 200));

  app.notFound((c) => c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` } }, 404));
  app.onError((err, c) => errorResponse(c, err));
  return app;
}
