import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors";

// Schema failures in the API's words: one sentence naming the parameter or field, in the one
// error shape. Messages are predicates ("must be one of …") so a route's own wording
// (`z.enum(…, { error: "must be daily, or left out" })`) reads the same way.

type Issue = z.core.$ZodRawIssue;

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(", ");

function predicate(iss: Issue): string | undefined {
  switch (iss.code) {
    case "invalid_value":
      return iss.values.length === 1 ? `must be ${String(iss.values[0])}` : `must be one of ${list(iss.values)}`;
    case "invalid_type":
      if (iss.input === undefined) return "is required";
      if (iss.expected === "int" || iss.expected === "number") return "must be a whole number";
      if (iss.expected === "array") return "must be a list";
      if (iss.expected === "object") return "must be an object";
      return `must be a ${iss.expected}`;
    case "too_small": {
      const min = Number(iss.minimum);
      if (iss.origin === "string") return min <= 1 ? "must not be empty" : `must be at least ${min} characters`;
      if (iss.origin === "array" || iss.origin === "set") return `must list at least ${min}`;
      return `must be at least ${min}`;
    }
    case "too_big": {
      const max = Number(iss.maximum);
      if (iss.origin === "string") return `may be at most ${max} characters`;
      if (iss.origin === "array" || iss.origin === "set") return `may list at most ${max}`;
      return `may be at most ${max}`;
    }
    case "invalid_format":
      return iss.format === "regex" ? "is not in the expected format" : `must be a valid ${iss.format}`;
    case "invalid_union":
      return "is not one of the accepted shapes";
    default:
      return undefined;
  }
}

// Every zod message in the Worker is a predicate; a schema's own `error` still wins.
z.config({ customError: (iss) => predicate(iss) });

const TARGETS: Record<string, { code: string; what: string }> = {
  query: { code: "invalid_query", what: "query parameter" },
  param: { code: "invalid_path", what: "path parameter" },
  json: { code: "invalid_body", what: "field" },
};

const pathText = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");

/** The 400 for a failed request schema; `allowed` names what the route takes, for unknown keys. */
export function invalidInput(target: string, error: z.ZodError, allowed: readonly string[]): ApiError {
  const { code, what } = TARGETS[target] ?? { code: `invalid_${target}`, what: "value" };
  const issue = error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length ? ` in \`${pathText(issue.path)}\`` : "";
    const takes = issue.path.length ? "" : `; this route takes ${allowed.length ? allowed.join(", ") : "none"}`;
    return new ApiError(400, code, `Unknown ${what} \`${issue.keys[0]}\`${where}${takes}.`);
  }
  if (issue.path.length === 0) {
    return new ApiError(400, code, target === "json" ? `The body ${issue.message}.` : `${issue.message}.`);
  }
  return new ApiError(400, code, `\`${pathText(issue.path)}\` ${issue.message}.`);
}
