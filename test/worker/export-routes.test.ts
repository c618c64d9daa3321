import { beforeAll, describe, expect, it } from "vitest";
import { parquetReadObjects } from "hyparquet";
import { call } from "./helpers";
import { event, keysUnder, resetExport, store, testEnv } from "./export-fixtures";

// The warehouse files over the API, as a user without R2 credentials sees them.

let readKey: string;
let exportKey: string;

async function key(scopes: string[]): Promise<string> {
  const r = await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: scopes.join("+"), scopes }) });
  return ((await r.json()) as { key: string }).key;
}

interface FilesBody {
  events: { cursor: number; rows: number; files: Array<{ key: string; dt: string; rows: number; bytes: number; url: string }> };
  rejects: { rows: number; files: unknown[] };
}

beforeAll(async () => {
  await resetExport();
  readKey = await key(["read"]);
  exportKey = await key(["export"]);
});

describe("export files API", () => {
  it("needs a key with the export scope to list files, and admin to run the export", async () => {
    expect((await call("/v1/export/files", { token: null })).status).toBe(401);
    const forbidden = await call("/v1/export/files", { token: readKey });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: { code: "forbidden", message: "This API key lacks the `export` scope." } });
    expect((await call("/v1/export/files/events/dt=2026-11-20/part-1-2.parquet", { token: readKey })).status).toBe(403);
    expect((await call("/v1/export/run", { method: "POST", token: exportKey })).status).toBe(403);

    const empty = await call("/v1/export/files", { token: exportKey });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ events: { cursor: 0, rows: 0, files: [] }, rejects: { rows: 0, files: [] } });
  });

  it("lists the files a run wrote, and serves each one byte for byte", async () => {
    await store([0, 1, 2, 100, 101].map((i) => event(i)));
    const run = await call("/v1/export/run", { method: "POST" });
    expect(run.status).toBe(200);
    expect(await run.json()).toMatchObject({ events: { files_written: 2, rows_written: 5, caught_up: true }, lost_race: false });

    const body = (await (await call("/v1/export/files", { token: exportKey })).json()) as FilesBody;
    expect(body.events.rows).toBe(5);
    expect(body.events.files.map((f) => [f.dt, f.rows])).toEqual([["2026-11-20", 3], ["2026-11-21", 2]]);
    const first = body.events.files[0]!;
    expect(first.url).toBe(`/v1/export/files/${first.key}`);

    const r = await call(first.url, { token: exportKey });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const bytes = await r.arrayBuffer();
    expect(bytes.byteLength).toBe(first.bytes);
    const rows = (await parquetReadObjects({ file: bytes })) as Array<{ message_id: string }>;
    expect(rows.map((x) => x.message_id)).toEqual(["exp-0", "exp-1", "exp-2"]);
  });

  it("answers a Range request with just those bytes (Parquet readers fetch the footer first)", async () => {
    const { events } = (await (await call("/v1/export/files", { token: exportKey })).json()) as FilesBody;
    const f = events.files[0]!;
    const whole = new Uint8Array(await (await call(f.url, { token: exportKey })).arrayBuffer());
    const tail = await call(f.url, { token: exportKey, headers: { range: "bytes=-8" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${f.bytes - 8}-${f.bytes - 1}/${f.bytes}`);
    const tailBytes = new Uint8Array(await tail.arrayBuffer());
    expect(tailBytes).toEqual(whole.slice(-8));
    // A Parquet file ends with its magic number.
    expect(new TextDecoder().decode(tailBytes.slice(4))).toBe("PAR1");
    const head = await call(f.url, { token: exportKey, headers: { range: "bytes=0-3" } });
    expect(head.status).toBe(206);
    expect(new TextDecoder().decode(await head.arrayBuffer())).toBe("PAR1");
    const beyond = await call(f.url, { token: exportKey, headers: { range: `bytes=${f.bytes + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${f.bytes}`);
    expect(((await beyond.json()) as { error: { code: string } }).error.code).toBe("range_not_satisfiable");
    // A range form we do not serve: the whole file, as HTTP allows.
    const other = await call(f.url, { token: exportKey, headers: { range: "bytes=0-1,4-5" } });
    expect(other.status).toBe(200);
    expect((await other.arrayBuffer()).byteLength).toBe(f.bytes);
  });

  it("describes the columns, and the events table as a Pipelines stream schema", async () => {
    const cols = (await (await call("/v1/export/schema", { token: exportKey })).json()) as { events: Array<{ name: string }>; rejects: unknown[] };
    expect(cols.events[0]).toMatchObject({ name: "message_id", type: "STRING", nullable: false });
    expect(cols.rejects).toHaveLength(6);
    const p = (await (await call("/v1/export/schema?format=pipelines", { token: exportKey })).json()) as { fields: unknown[] };
    expect(p.fields).toHaveLength(cols.events.length);
    expect(p.fields).toContainEqual({ name: "received_at", type: "timestamp", required: true });
    expect(p.fields).toContainEqual({ name: "asn", type: "int64", required: false });
    expect(p.fields).toContainEqual({ name: "properties", type: "json", required: true });
    expect((await call("/v1/export/schema?format=avro", { token: exportKey })).status).toBe(400);
  });

  it("answers 404 with the JSON error for a file that does not exist", async () => {
    const r = await call("/v1/export/files/events/dt=2026-01-01/part-000000000001-000000000002.parquet", { token: exportKey });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      error: { code: "not_found", message: "No export file events/dt=2026-01-01/part-000000000001-000000000002.parquet." },
    });
  });

  it("never serves anything outside events/ and rejects/, however the path is spelled", async () => {
    const [raw] = await keysUnder("raw/");
    const [parquet] = (await keysUnder("events/")).filter((k) => k.endsWith(".parquet"));
    expect(raw).toMatch(/^raw\/dt=/); // the raw archive exists, and still is not served
    expect(parquet).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/[\w-]+\.parquet$/);
    // Planted where a careless reading of the path would look.
    await testEnv.ARCHIVE.put("events/dt=2026-11-20/sub/x.parquet", "PAR1 planted");
    const encoded = (key: string) => key.split("/").map(encodeURIComponent).join("%2F");
    // Each spelling with the object it aims at, which exists: a refusal, not a 404, is the answer.
    const cases: [spelling: string, target: string][] = [
      [raw!, raw!],
      ["export/manifest.json", "export/manifest.json"],
      [`events/../${raw}`, raw!],
      [`events%2F..%2F${encoded(raw!)}`, raw!],
      ["events/dt=2026-11-20/..%2F..%2Fexport%2Fmanifest.json", "export/manifest.json"],
      [`events/dt=2026-11-20/%2e%2e/%2e%2e/${raw}`, raw!],
      ["events/dt=2026-11-20/sub/x.parquet", "events/dt=2026-11-20/sub/x.parquet"],
      [`${parquet}%00`, parquet!],
      [`E${parquet!.slice(1)}`, parquet!],
    ];
    for (const [spelling, target] of cases) {
      expect(await testEnv.ARCHIVE.head(target), target).not.toBeNull();
      const r = await call(`/v1/export/files/${spelling}`, { token: exportKey });
      expect(r.status, spelling).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code, spelling).toBe("invalid_key");
    }
    // The real file under its own name is served.
    expect((await call(`/v1/export/files/${parquet}`, { token: exportKey })).status).toBe(200);
    await testEnv.ARCHIVE.delete("events/dt=2026-11-20/sub/x.parquet");
    // The manifest itself is read through GET /v1/export/files, never as a raw object.
    expect((await testEnv.ARCHIVE.head("export/manifest.json"))?.size).toBeGreaterThan(0);
  });
});
