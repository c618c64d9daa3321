import type { Context } from "hono";
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

export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof ApiError) {
    return c.json({ error: { code: err.code, message: err.message } }, err.status);
  }
  // Bodies that cannot be read or parsed are the client's fault, never a 5xx.
  if (err instanceof SyntaxError) {
    return c.json({ error: { code: "malformed_json", message: "The body is not valid JSON." } }, 400);
  }
  // No PII in logs: only the error's name and message.
  console.error("unhandled", err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; the request was not accepted." } }, 500);
}
