import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error shape every route answers with: { error: { code, message } }. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);

const HTTP_REFUSALS: Record<number, { code: string; message: string }> = {
  400: { code: "malformed_json", message: "The body is not valid JSON." },
  415: { code: "unsupported_media_type", message: "Send the body as application/json (Content-Type: application/json)." },
};

export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof ApiError) {
    return c.json({ error: { code: err.code, message: err.message } }, err.status);
  }
  // Hono's own refusals (a body that is not JSON, a content type the route does not take), in our shape.
  if (err instanceof HTTPException && err.status < 500) {
    const known = err.status === 400 && !/JSON/.test(err.message) ? undefined : HTTP_REFUSALS[err.status];
    return c.json({ error: known ?? { code: "bad_request", message: `${err.message || "The request was refused"}.` } }, err.status);
  }
  // Bodies that cannot be read or parsed are the client's fault, never a 5xx.
  if (err instanceof SyntaxError) {
    return c.json({ error: { code: "malformed_json", message: "The body is not valid JSON." } }, 400);
  }
  // No PII in logs: only the error's name and message.
  console.error("unhandled", err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; the request was not accepted." } }, 500);
}
