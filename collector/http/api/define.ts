import { z } from "@hono/zod-openapi";

// The vocabulary every route declaration (collector/http/api/*.ts) is written in. Nothing here
// touches the Worker's bindings or storage, so the CLI and the dashboard can type-check their
// client against these declarations without compiling the Worker (see ./index.ts).

/** An API key scope (collector/auth/scopes.ts checks it at run time; its type must match). */
export const SCOPE_NAMES = ["read", "import", "export", "admin"] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];

/** The one error shape every route answers with. */
export const ErrorBody = z
  .object({ error: z.object({ code: z.string().openapi({ example: "invalid_query" }), message: z.string().openapi({ example: "`model` must be one of first_touch, last_touch, linear." }) }) })
  .openapi("Error");

const ERROR_TEXT: Record<number, string> = {
  400: "Bad input: the message names the parameter or field",
  401: "No valid API key (or write key)",
  403: "The key lacks the scope (or the Origin is not one of the site's domains)",
  404: "Not found",
  413: "Too large",
  415: "Unsupported content type",
  416: "Range outside the file",
  503: "Not configured yet: a deployment secret the route needs is not set (the message says which)",
};

/** Error responses, each with the one error shape: `...errors(400, 404)`. */
export function errors<const S extends keyof typeof ERROR_TEXT & number>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s], content: { "application/json": { schema: ErrorBody } } }])) as {
    [K in S]: { description: string; content: { "application/json": { schema: typeof ErrorBody } } };
  };
}

/** A JSON response or request body. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } }) as const;

/**
 * Bearer auth with a scope: what the document says (security, 401/403) and what
 * `implement()` (collector/http/routes.ts) enforces, read from the same `security` entry.
 */
export const secured = (scope: ScopeName) => ({ security: [{ bearer: [scope] }], description: `Requires the \`${scope}\` scope (or \`admin\`).` });
export const byWriteKey = { security: [{ writeKey: [] }] };
export const open = { security: [] };

// Parameters used by many routes.
export const isoDate = z.iso.date({ error: "must be an ISO date, e.g. 2026-01-31" });
export const WINDOW_NAMES = ["7d", "30d", "90d"] as const;
export const windowQuery = {
  window: z.enum(WINDOW_NAMES).optional().openapi({ description: "days ending today (UTC); default 30d" }),
  from: isoDate.optional().openapi({ description: "first day, instead of `window`" }),
  to: isoDate.optional().openapi({ description: "last day (default today)" }),
};
/** An ISO 4217 currency code choosing one of a report's currencies. */
export const currencyQuery = (description: string) =>
  z.string().regex(/^[A-Za-z]{3}$/, { error: "must be a three-letter ISO 4217 code such as USD" }).optional().openapi({ description });
/** A bounded whole number in a query string. */
export const intQuery = (min: number, max: number, fallback: number, description: string) =>
  // Coerced numbers are not described by the generator: say type and range here.
  z.coerce.number().int().min(min).max(max).default(fallback).openapi({ type: "integer", minimum: min, maximum: max, default: fallback, description });
/** A sequence-number cursor in a query string. */
export const seqQuery = (description: string) =>
  z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
/** Free-text segment names, as imported. */
export const segmentName = z.string().max(50);
export const DayRange = z.object({ from: z.string().openapi({ example: "2026-01-01" }), to: z.string().openapi({ example: "2026-01-30" }) }).openapi("DayRange");

/**
 * A body described in the document but read and judged by the handler itself (imports judge
 * each row alone; ingest keeps its hand-written validator, bench/schema.mjs says why). The
 * named schema is registered as a component by createApp (api/index.ts `DOCUMENTED_ONLY`).
 */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const listOf = (name: string, maxItems: number) => ({ type: "array" as const, maxItems, items: ref(name) });
