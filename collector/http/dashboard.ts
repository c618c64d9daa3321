import type { Context } from "hono";
import { DASHBOARD_CSS, DASHBOARD_ETAGS, DASHBOARD_HTML, DASHBOARD_JS } from "./dashboard-bundle.generated";
import * as api from "./api/meta";
import { implement, type App, type AppEnv } from "./routes";

// The dashboard (dashboard/src, built by scripts/build-dashboard.mjs): a page and its two
// assets. The page itself holds no data; it signs in with an API key and calls /v1 like any client.

/** Same-origin everything, no inline script or style, no framing: a stolen page can't leak the key. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

function serve(c: Context<AppEnv>, body: string, contentType: string, etag: string, cacheControl: string): Response {
  const headers = { ...SECURITY_HEADERS, "content-type": contentType, etag, "cache-control": cacheControl };
  if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
  return c.body(body, 200, headers);
}

// Assets are addressed by content hash (?v=…) from the page, so they may be cached for good;
// the page is revalidated each time so a new build shows up at once.
const IMMUTABLE = "public, max-age=31536000, immutable";

export function dashboardRoutes(app: App): void {
  implement(app, api.dashboardPage, (c) => serve(c, DASHBOARD_HTML, "text/html; charset=utf-8", DASHBOARD_ETAGS.html, "no-cache"));
  implement(app, api.dashboardScript, (c) => serve(c, DASHBOARD_JS, "application/javascript; charset=utf-8", DASHBOARD_ETAGS.js, IMMUTABLE));
  implement(app, api.dashboardStyles, (c) => serve(c, DASHBOARD_CSS, "text/css; charset=utf-8", DASHBOARD_ETAGS.css, IMMUTABLE));
}
