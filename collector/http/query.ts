import { badRequest } from "./errors";

/** A positive integer query parameter, bounded; 400 with a sentence when it is not one. */
export function intParam(value: string | undefined, name: string, fallback: number, max: number, min = 0): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw badRequest("invalid_query", `\`${name}\` must be a whole number.`);
  const n = Number(value);
  if (n > max) throw badRequest("invalid_query", `\`${name}\` may be at most ${max}.`);
  if (n < min) throw badRequest("invalid_query", `\`${name}\` must be at least ${min}.`);
  return n;
}
