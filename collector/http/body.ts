import type { Context } from "hono";
import { ApiError } from "./errors";

/** Reads the body as text, refusing more than `max` bytes without buffering them all. */
export async function readText(c: Context, max: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? NaN);
  // Only Content-Length present - we can refuse before reading a byte.
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

const tooLarge = (max: number) =>
  new ApiError(413, "request_too_large", `A request may be at most ${Math.round(max / 1024)} KB.`);

export async function readJson(c: Context, max: number): Promise<unknown> {
  const text = await readText(c, max);
  if (text.trim() === "") throw new ApiError(400, "empty_body", "The request has no body.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "malformed_json", "The body is not valid JSON.");
  }
}
