import type { RejectedEvent } from "../events";
import type { ExportRow } from "../export/columns";
import { EXPORT_MANIFEST_KEY, parseExportManifest, type ExportManifest } from "../export/ledger";

// What the warehouse export reads and writes: the D1 logs by seq range, the manifest in R2
// (conditional writes), and the Parquet objects.

export type Sequenced<R> = R & { seq: number };

// Rows per D1 query: keeps each result a few MB however large the range.
const PAGE = 2_000;

async function pagedRange<R>(
  d1: D1Database,
  sql: string,
  after: number,
  through: number | null,
  limit: number,
  toRow: (r: { seq: number; data: string }) => Sequenced<R>,
): Promise<Sequenced<R>[]> {
  const out: Sequenced<R>[] = [];
  let from = after;
  while (out.length < limit) {
    const { results } = await d1
      .prepare(sql)
      .bind(from, through ?? Number.MAX_SAFE_INTEGER, Math.min(PAGE, limit - out.length))
      .all<{ seq: number; data: string }>();
    for (const r of results) out.push(toRow(r));
    if (results.length < PAGE) break;
    from = results[results.length - 1]!.seq;
  }
  return out;
}

/**
 * Events with after < seq ≤ through (through null: no upper bound), in seq order, at most `limit`.
 * `account_domain` is the account the visitor is resolved to now (visitor_identities → accounts),
 * so a re-resolved visitor's earlier events carry the account in files written after that.
 */
export function eventsInRange(d1: D1Database, after: number, through: number | null, limit: number): Promise<Sequenced<ExportRow>[]> {
  const sql = `SELECT e.seq, json_set(e.data, '$.account_domain', a.domain) AS data FROM events e
    LEFT JOIN visitor_identities vi ON vi.anonymous_id = e.anonymous_id
    LEFT JOIN accounts a ON a.id = vi.account_id
    WHERE e.seq > ?1 AND e.seq <= ?2 ORDER BY e.seq LIMIT ?3`;
  return pagedRange(d1, sql, after, through, limit, (r) => ({ ...(JSON.parse(r.data) as ExportRow), seq: r.seq }));
}

/** Rejected events with after < seq ≤ through, in seq order, at most `limit`. */
export function rejectsInRange(d1: D1Database, after: number, through: number | null, limit: number): Promise<Sequenced<RejectedEvent>[]> {
  const sql = `SELECT seq, json_object('reject_id', reject_id, 'site_id', site_id, 'received_at', received_at,
      'code', code, 'reason', reason, 'payload', payload) AS data
    FROM rejects WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3`;
  return pagedRange(d1, sql, after, through, limit, (r) => ({ ...(JSON.parse(r.data) as RejectedEvent), seq: r.seq }));
}

export interface StoredManifest {
  manifest: ExportManifest | null;
  /** null when there is no manifest yet */
  etag: string | null;
}

export async function readExportManifest(bucket: R2Bucket): Promise<StoredManifest> {
  const obj = await bucket.get(EXPORT_MANIFEST_KEY);
  if (!obj) return { manifest: null, etag: null };
  return { manifest: parseExportManifest(await obj.text()), etag: obj.etag };
}

/**
 * Writes the manifest only if it is still the version read (`etag`, or absent when null): the
 * new ETag, or null when another run changed it first.
 * https://developers.cloudflare.com/r2/api/workers/workers-api-reference/#conditional-operations
 */
export async function writeExportManifest(bucket: R2Bucket, manifest: ExportManifest, etag: string | null): Promise<string | null> {
  const written = await bucket.put(EXPORT_MANIFEST_KEY, JSON.stringify(manifest), {
    httpMetadata: { contentType: "application/json" },
    onlyIf: etag === null ? { etagDoesNotMatch: "*" } : { etagMatches: etag },
  });
  return written ? written.etag : null;
}

export async function putParquet(bucket: R2Bucket, key: string, bytes: ArrayBuffer): Promise<void> {
  await bucket.put(key, bytes, { httpMetadata: { contentType: "application/vnd.apache.parquet" } });
}

/** One export object, whole or a byte range of it; null when absent. */
export function getExportObject(bucket: R2Bucket, key: string, range?: { offset: number; length: number }): Promise<R2ObjectBody | null> {
  return bucket.get(key, range ? { range } : {});
}

/** Size and ETag without the body: to resolve a Range request before reading. */
export function headExportObject(bucket: R2Bucket, key: string): Promise<R2Object | null> {
  return bucket.head(key);
}
