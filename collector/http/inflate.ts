// Compressed request bodies (SPEC §3): RudderStack's SDKs gzip by default. Limits apply to the
// inflated size, and a bomb must stop early: the compressed bytes are fed to the decompressor a
// small slice at a time and the output is counted as it comes, so at most `max` bytes plus one
// slice's output (deflate inflates at most ~1,032:1) are ever held.

export type BodyEncoding = "identity" | "gzip" | "deflate";
export type StreamFormat = "gzip" | "deflate" | "deflate-raw";

export type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" | "corrupt"; inflated: number };

/** 1 KB of input inflates to at most ~1 MB: the most one step can hold beyond the limit. */
const SLICE_BYTES = 1024;

/** The Content-Encoding header as one of ours, or null when it is one we don't take (br, zstd, a list). */
export function bodyEncoding(header: string | null | undefined): BodyEncoding | null {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "" || value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  if (value === "deflate") return "deflate";
  return null;
}

/** First non-blank byte is `{` or `[`: JSON that something on the way already inflated. */
function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}

/**
 * Which stream format the bytes are, for the encoding the header names; "plain" when the body is
 * already inflated JSON (a proxy that inflated but kept the header), null when it is neither.
 * `deflate` is zlib-wrapped by RFC 9110, but some clients send raw deflate: both are taken.
 */
export function sniffFormat(encoding: Exclude<BodyEncoding, "identity">, bytes: Uint8Array): StreamFormat | "plain" | null {
  if (looksLikeJson(bytes)) return "plain";
  if (encoding === "gzip") return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? "gzip" : null;
  const zlib = bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;
  return zlib ? "deflate" : "deflate-raw";
}

/** Inflates `bytes`, stopping as soon as the output passes `max`; never throws. */
export async function inflateLimited(bytes: Uint8Array<ArrayBuffer>, format: StreamFormat, max: number): Promise<Inflated> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Writes wait for the reader (backpressure), so the two run side by side.
  const pump = (async () => {
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) await writer.write(bytes.subarray(at, at + SLICE_BYTES));
    await writer.close();
  })();
  pump.catch(() => {}); // its failure shows on the reader too

  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        await writer.abort().catch(() => {});
        return { ok: false, reason: "too_large", inflated: size };
      }
      chunks.push(value);
    }
    await pump;
  } catch {
    await writer.abort().catch(() => {});
    return { ok: false, reason: "corrupt", inflated: size };
  }
  return { ok: true, bytes: concat(chunks, size) };
}

export function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}
