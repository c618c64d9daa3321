import { EXPORT_COLUMNS, pipelinesSchema } from "../export/columns";
import { resolveByteRange, type ByteRange } from "../export/byte-range";
import { emptyExportManifest, isExportKey, ledgerRows, STREAMS, type StreamLedger } from "../export/ledger";
import { REJECT_COLUMNS } from "../export/reject-columns";
import { runExportNow } from "../lifecycle/scheduled";
import { getExportObject, headExportObject, readExportManifest } from "../storage/export";
import { ApiError, badRequest } from "./errors";
import { route, type App } from "./routes";

// The warehouse files over HTTP, for users without R2 credentials (SPEC §7): the manifest, one
// object at a time (Range requests too, so DuckDB's httpfs can read a file in place), and a
// manual run of the scheduled export for operators.

const FILES = "/v1/export/files";

function ledgerView(ledger: StreamLedger) {
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
        ...Object.fromEntries(STREAMS.map((s) => [s, ledgerView(manifest[s])])),
      });
    },
  );
  route(
    app,
    {
      method: "get", path: `${FILES}/:key{.+}`, summary: "One export file (events/… or rejects/…), streamed from R2; honours Range", auth: "export", tag: "export",
      responses: { 200: "application/vnd.apache.parquet", 206: "The requested byte range", 400: "Not an export file key", 404: "No such file", 416: "Range outside the file" },
    },
    async (c) => {
      const key = c.req.param("key") ?? "";
      if (!isExportKey(key)) {
        throw badRequest("invalid_key", "Only export files can be fetched: events/dt=YYYY-MM-DD/<name>.parquet or rejects/dt=…/<name>.");
      }
      const missing = () => new ApiError(404, "not_found", `No export file ${key}.`);
      const wanted = c.req.header("range");
      let range: ByteRange | null = null;
      if (wanted !== undefined) {
        const head = await headExportObject(c.env.ARCHIVE, key);
        if (!head) throw missing();
        const r = resolveByteRange(wanted, head.size);
        if (r === "unsatisfiable") {
          c.header("content-range", `bytes */${head.size}`);
          throw new ApiError(416, "range_not_satisfiable", `The file has ${head.size} bytes; ${wanted.slice(0, 100)} asks for none of them.`);
        }
        range = r;
      }
      const obj = await getExportObject(c.env.ARCHIVE, key, range ?? undefined);
      if (!obj) throw missing();
      const headers = new Headers({ etag: obj.httpEtag, "accept-ranges": "bytes", "cache-control": "private, max-age=3600" });
      obj.writeHttpMetadata(headers);
      if (range) {
        headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${obj.size}`);
        headers.set("content-length", String(range.length));
        return new Response(obj.body, { status: 206, headers });
      }
      headers.set("content-length", String(obj.size));
      return new Response(obj.body, { status: 200, headers });
    },
  );
  route(
    app,
    {
      method: "get", path: "/v1/export/schema", summary: "The exported tables' columns; ?format=pipelines: the events table as a Cloudflare Pipelines stream schema", auth: "export", tag: "export",
      query: { format: "columns (default) or pipelines" },
      responses: { 200: "{ events: [{ name, type, nullable, description }], rejects: [...] } or { fields: [...] }", 400: "Unknown format" },
    },
    (c) => {
      const format = c.req.query("format") ?? "columns";
      if (format === "pipelines") return c.json(pipelinesSchema());
      if (format !== "columns") throw badRequest("invalid_query", "`format` must be columns or pipelines.");
      return c.json({ events: EXPORT_COLUMNS, rejects: REJECT_COLUMNS });
    },
  );
  route(
    app,
    {
      method: "post", path: "/v1/export/run", summary: "Run the scheduled export now (idempotent; safe beside the cron)", auth: "admin", tag: "export",
      responses: { 200: "{ events: { files_written, rows_written, cursor, caught_up }, rejects: {…}, lost_race, ms }" },
    },
    async (c) => c.json(await runExportNow(c.env)),
  );
}
