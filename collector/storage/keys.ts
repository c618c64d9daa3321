import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../schema/core";
import { db } from "./db";

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
}

export async function insertKey(d1: D1Database, key: ApiKeyRecord, keyHash: string): Promise<void> {
  await db(d1).insert(apiKeys).values({
    id: key.id,
    name: key.name,
    scopes: JSON.stringify(key.scopes),
    keyHash,
    createdAt: key.created_at,
  });
}

/** The live key with this hash, or null (revoked keys are not found). */
export async function keyByHash(d1: D1Database, keyHash: string): Promise<ApiKeyRecord | null> {
  const row = await db(d1)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .get();
  return row ? { id: row.id, name: row.name, scopes: JSON.parse(row.scopes) as string[], created_at: row.createdAt } : null;
}

export async function listKeys(d1: D1Database): Promise<(ApiKeyRecord & { revoked_at: string | null })[]> {
  const rows = await db(d1).select().from(apiKeys).orderBy(apiKeys.createdAt);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as string[],
    created_at: r.createdAt,
    revoked_at: r.revokedAt,
  }));
}

/** Revokes a key; false when there is no live key with that id. */
export async function revokeKey(d1: D1Database, id: string, at: string): Promise<boolean> {
  const done = await db(d1)
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}
