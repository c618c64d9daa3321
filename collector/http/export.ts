import { EXPORT_COLUMNS, pipelinesSchema } from "../export/columns";
import { resolveByteRange, type ByteRange } from "../export/byte-range";
import { emptyExportManifest, isExportKey, ledgerRows, type StreamLedger } from "../export/ledger";
import { REJECT_COLUMNS } from "../export/reject-columns";
import { runExportNow } from "../lifecycle/scheduled";
import { getExportObject, headExportObject, readExportManifest } from "../storage/export";
import * as api from "./api/export";
import { ApiError, badRequest } from "./errors";
import { implement, type App } from "./routes";

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
  implement(app, api.exportFiles, async (c) => {
    const manifest = (await readExportManifest(c.env.ARCHIVE)).manifest ?? emptyExportManifest();
    return c.json({ version: manifest.version, updated_at: manifest.updated_at, events: ledgerView(manifest.events), rejects: ledgerView(manifest.rejects) }, 200);
  });
  implement(
    app,
    api.exportFile,
    async (c) => {
      const { key } = c.req.valid("param");
      if (!isExportKey(key)) {
        throw badRequest("invalid_key", "Only export files can be fetched: events/dt=YYYY-MM-DD/<name>.parquet or rejects/dt=…/<name>.");
      }
      const missing = () => new ApiError(404, "not_found", `No export file ${key}.`);
      const wanted = c.req.valid("header").range;
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
    // Keys hold slashes: the route matches the rest of the path.
    { routingPath: `${FILES}/:key{.+}` },
  );
  implement(app, api.exportSchema, (c) => {
    if (c.req.valid("query").format === "pipelines") return c.json(pipelinesSchema(), 200);
    return c.json({ events: EXPORT_COLUMNS, rejects: REJECT_COLUMNS }, 200);
  });
  implement(app, api.runExport, async (c) => c.json(await runExportNow(c.env), 200));
}
