import type { Context } from "hono";
import { ApiError } from "./errors";
import { bodyEncoding, concat, inflateLimited, sniffFormat } from "./inflate";

/**
 * Reads the body as text, refusing more than `max` bytes without buffering them all. A body sent
 * with `Content-Encoding: gzip` or `deflate` is inflated here (wrangler dev and Cloudflare hand
 * the Worker the compressed bytes as sent), and `max` applies to the inflated size.
 */
export async function readText(c: Context, max: number): Promise<string> {
  const encoding = bodyEncoding(c.req.header("content-encoding"));
  if (encoding === null) {
    throw new ApiError(415, "unsupported_encoding", "Content-Encoding must be gzip, deflate or none.");
  }
  const declared = Number(c.req.header("content-length") ?? NaN);
  // Only Content-Length present - we can refuse before reading a byte (compressed bytes are
  // never more than the inflated limit for a body we would take).
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  // A declared length within the limit is read in one call (HTTP framing holds the body to it,
  // and the size is checked again); otherwise chunk by chunk, stopping at the limit.
  const raw = Number.isFinite(declared) && !c.req.header("transfer-encoding") ? await readDeclared(c.req.raw, max) : await readBytes(c.req.raw.body, max);
  if (encoding === "identity") return decode(raw);

  const format = sniffFormat(encoding, raw);
  if (format === null) throw notEncoded(encoding);
  // Already inflated on the way (the header left in place): the bytes are the JSON itself.
  if (format === "plain") return decode(raw);
  const inflated = await inflateLimited(raw, format, max);
  if (!inflated.ok) throw inflated.reason === "too_large" ? tooLarge(max) : notEncoded(encoding);
  return decode(inflated.bytes);
}

async function readDeclared(request: Request, max: number): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > max) throw tooLarge(max);
  return bytes;
}

async function readBytes(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
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
  return concat(chunks, size);
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const tooLarge = (max: number) =>
  new ApiError(413, "request_too_large", `A request may be at most ${Math.round(max / 1024)} KB (after decompression).`);

const notEncoded = (encoding: string) =>
  new ApiError(400, "invalid_encoding", `The body is not valid ${encoding} data, as its Content-Encoding header says.`);

export async function readJson(c: Context, max: number): Promise<unknown> {
  const text = await readText(c, max);
  if (text.trim() === "") throw new ApiError(400, "empty_body", "The request has no body.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "malformed_json", "The body is not valid JSON.");
  }
}
