import { sha256Hex } from "../auth/secrets";

// R2 is the system of record for raw events (SPEC §7): NDJSON per queue message under
// raw/dt=YYYY-MM-DD/ (receive date), rejects under rejects/dt=YYYY-MM-DD/. The key is derived
// from the message ids, so a retried message overwrites its own file instead of adding one.

export async function archiveKey(prefix: "raw" | "rejects", dt: string, ids: string[]): Promise<string> {
  return `${prefix}/dt=${dt}/${(await sha256Hex(ids.join("\n"))).slice(0, 32)}.ndjson`;
}

/** Writes the rows as NDJSON under `key`; answers the key. */
export async function archiveRows(bucket: R2Bucket, key: string, rows: object[]): Promise<string> {
  const body = rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
  await bucket.put(key, body, { httpMetadata: { contentType: "application/x-ndjson" } });
  return key;
}
