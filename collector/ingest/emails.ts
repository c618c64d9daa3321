import { hashEmail } from "../identity/email";

// SPEC §8: emails are stored hashed. The identifying email of an event is split off in
// build.ts (its hash and domain become columns); these cover every other place one can sit.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A copy with an `email` string replaced by `email_sha256`; the object itself when it has none. */
export async function hashEmailField(obj: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (typeof obj.email !== "string") return obj;
  const { email, ...rest } = obj;
  return { ...rest, email_sha256: await hashEmail(email) };
}

/** A refused event as it is kept for inspection: the same, with emails in traits, properties and context.traits hashed. */
export async function scrubPayload(raw: unknown): Promise<unknown> {
  if (!isObject(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const key of ["traits", "properties"] as const) {
    if (isObject(out[key])) out[key] = await hashEmailField(out[key]);
  }
  if (isObject(out.context) && isObject(out.context.traits)) {
    out.context = { ...out.context, traits: await hashEmailField(out.context.traits) };
  }
  return out;
}
