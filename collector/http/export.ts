import { emptyExportManifest, isExportKey, ledgerRows, STREAMS, type StreamLedger } from "../export/ledger";
import { runExport } from "../export/run";
import { getExportObject, readExportManifest } from "../storage/export";
import { ApiError, badRequest } from "./errors";
import { route, type App } from "./routes";

// The warehouse files over HTTP, for users without R2 credentials (SPEC §7): the manifest, one
// object at a time (Range requests too, so DuckDB's httpfs can read a file in place), and a
// manual run of the scheduled export for operators.

const FILES = "/v1/export/files";

function describe(ledger: StreamLedger) {
  return {
    cursor: ledger.cursor,
    pending: ledger.pending,
    rows: ledgerRows(ledger),
    files: ledger.files.map((f) => ({ ...f, url: `${FILES}/${f.key}` })),
  };
}

export function exportRoutes(app: App): void {
  route(
    app,
    {
      method: "get", path: FILES, summary: "The export manifest: Parquet files per stream and date, with rows, bytes and seq ranges", auth: "export", tag: "export",
      responses: { 200: "{ updated_at, events: { cursor, rows, files: [{ key, dt, rows, bytes, first_seq, last_seq, url }] }, rejects: {…} }" },
    },
    async (c) => {
      const manifest = (await readExportManifest(c.env.ARCHIVE)).manifest ?? emptyExportManifest();
      return c.json({
        version: manifest.version,
        updated_at: manifest.updated_at,
        ...Object.fromEntries(STREAMS.map((s) => [s, describe(manifest[s])])),
      });
    },
  );
  route(
    app,
    {
      method: "get", path: `${FILES}/:key{.+}`, summary: "One export file (events/… or rejects/…), streamed from R2; honours Range", auth: "export", tag: "export",
      responses: { 200: "application/vnd.apache.parquet", 206: "The requested byte range", 400: "Not an export file key", 404: "No such file" },
    },
    async (c) => {
      const key = c.req.param("key") ?? "";
      if (!isExportKey(key)) {
        throw badRequest("invalid_key", "Only export files can be fetched: events/dt=YYYY-MM-DD/<name>.parquet or rejects/dt=…/<name>.");
      }
      const obj = await getExportObject(c.env.ARCHIVE, key, c.req.raw.headers);
      if (!obj) throw new ApiError(404, "not_found", `No export file ${key}.`);
      const headers = new Headers({ etag: obj.httpEtag, "accept-ranges": "bytes", "cache-control": "private, max-age=3600" });
      obj.writeHttpMetadata(headers);
      const range = obj.range as { offset?: number; length?: number; suffix?: number } | undefined;
      if (range && c.req.header("range")) {
        const offset = range.suffix !== undefined ? obj.size - range.suffix : (range.offset ?? 0);
        const length = range.length ?? obj.size - offset;
        headers.set("content-range", `bytes ${offset}-${offset + length - 1}/${obj.size}`);
        headers.set("content-length", String(length));
        return new Response(obj.body, { status: 206, headers });
      }
      headers.set("content-length", String(obj.size));
      return new Response(obj.body, { status: 200, headers });
    },
  );
  route(
    app,
    {
      method: "post", path: "/v1/export/run", summary: "Run the scheduled export now (idempotent; safe beside the cron)", auth: "admin", tag: "export",
      responses: { 200: "{ events: { files_written, rows_written, cursor, caught_up }, rejects: {…}, lost_race, ms }" },
    },
    async (c) => c.json(await runExport(c.env)),
  );
}
