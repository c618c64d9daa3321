import { EXPORT_MANIFEST_KEY, parseExportManifest, type ExportManifest } from "../export/ledger";

// What the warehouse export writes: the manifest in R2 (conditional writes) and the Parquet
// objects. It reads the archive through archive-read.ts.

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
