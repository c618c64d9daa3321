// The one HTTP Range form Parquet readers send (a single byte range, often the footer as a
// suffix), resolved against the object's size (RFC 9110 §14). Anything else is ignored and the
// whole file is served, as the RFC allows.

export type ByteRange = { offset: number; length: number };

/** The bytes to send, "unsatisfiable" (416), or null to send the whole object. */
export function resolveByteRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    const offset = Math.max(0, size - suffix);
    return { offset, length: size - offset };
  }
  const start = Number(m[1]);
  if (start >= size) return "unsatisfiable";
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (end < start) return null;
  return { offset: start, length: end - start + 1 };
}
