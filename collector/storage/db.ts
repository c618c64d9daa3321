import { drizzle } from "drizzle-orm/d1";
import { utf8Bytes } from "../bytes";
import * as core from "../../schema/core";
import * as visits from "../../schema/visits";

export const schema = { ...core, ...visits };
export const db = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof db>;

/**
 * Split JSON-able rows into chunks whose JSON stays well under D1's 100 KB statement limit,
 * for `INSERT … SELECT … FROM json_each(?)` (one bound parameter however many rows).
 * https://developers.cloudflare.com/d1/platform/limits/
 */
export function jsonChunks<T>(rows: T[], maxBytes = 90_000): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    const bytes = utf8Bytes(text);
    if (current.length > 0 && size + bytes + 1 > maxBytes) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(text);
    size += bytes + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}
