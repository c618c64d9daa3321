import type { MiddlewareHandler } from "hono";
import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { keyByHash } from "../storage/keys";
import { sha256Hex } from "../bytes";
import { secretsEqual } from "./secrets";

export const SCOPES = ["read", "import", "export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Who called: the admin token (every scope) or an API key with its scopes. */
export interface Caller {
  keyId: string | null;
  scopes: readonly Scope[];
}

async function callerFor(env: Env, token: string): Promise<Caller | null> {
  if (env.ADMIN_TOKEN && (await secretsEqual(token, env.ADMIN_TOKEN))) return { keyId: null, scopes: SCOPES };
  // Lookup by the digest: the secret itself is never stored or compared.
  const key = await keyByHash(env.DB, await sha256Hex(token));
  return key ? { keyId: key.id, scopes: key.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)) } : null;
}

/** Bearer auth: 401 without a valid token, 403 when the key lacks the scope. */
export function requireScope(scope: Scope): MiddlewareHandler<{ Bindings: Env; Variables: { caller: Caller } }> {
  return async function requireScope(c, next) {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, "unauthorized", "Send an API key as `Authorization: Bearer <key>`.");
    const caller = await callerFor(c.env, match[1]);
    if (!caller) throw new ApiError(401, "unauthorized", "The API key is not valid or was revoked.");
    if (!caller.scopes.includes(scope) && !caller.scopes.includes("admin")) {
      throw new ApiError(403, "forbidden", `This API key lacks the \`${scope}\` scope.`);
    }
    c.set("caller", caller);
    await next();
  };
}
