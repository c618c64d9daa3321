/**
 * A client's value quoted for an error message, shortened. Never String(v): a JSON object
 * such as {"toString":1} makes String() throw.
 */
export function quote(v: unknown, max = 100): string {
  const text = typeof v === "string" ? v : (JSON.stringify(v) ?? typeof v);
  return JSON.stringify(text.slice(0, max));
}
