import { eq } from "drizzle-orm";
import { sites } from "../../schema/core";
import { db } from "./db";

export interface Site {
  id: string;
  name: string;
  domains: string[];
  write_key: string;
  created_at: string;
}

type Row = typeof sites.$inferSelect;
const toSite = (r: Row): Site => ({
  id: r.id,
  name: r.name,
  domains: JSON.parse(r.domains) as string[],
  write_key: r.writeKey,
  created_at: r.createdAt,
});

export async function insertSite(d1: D1Database, site: Site): Promise<void> {
  await db(d1).insert(sites).values({
    id: site.id,
    name: site.name,
    domains: JSON.stringify(site.domains),
    writeKey: site.write_key,
    createdAt: site.created_at,
  });
}

export async function listSites(d1: D1Database): Promise<Site[]> {
  return (await db(d1).select().from(sites).orderBy(sites.createdAt)).map(toSite);
}

/** The site of a write key (collector/auth/write-keys.ts caches the answers, bounded by bytes). */
export async function siteByWriteKey(d1: D1Database, writeKey: string): Promise<Site | null> {
  const row = await db(d1).select().from(sites).where(eq(sites.writeKey, writeKey)).get();
  return row ? toSite(row) : null;
}
