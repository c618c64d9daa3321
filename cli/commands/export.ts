// The warehouse files (SPEC §7): list them, or download them into a folder laid out like the
// bucket (events/dt=YYYY-MM-DD/…), skipping files already there at the same size.
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { ExportFile } from "../client/client";
import { type Command, EXIT, oneOf, str, UsageError } from "../command";
import { formatTable, int } from "../table";

const STREAMS = ["events", "rejects", "all"] as const;
const streamOption = { stream: { type: "string" as const, help: "<events|rejects|all>  which files (default events)" } };

export const exportFiles: Command = {
  words: ["export", "files"],
  summary: "List the warehouse files (Parquet, by date) with rows and sizes",
  options: { ...streamOption, json: { type: "boolean", help: "print the API's JSON" } },
  async run(ctx) {
    const manifest = await ctx.client().exportFiles();
    if (ctx.values.json) {
      ctx.out(JSON.stringify(manifest, null, 2));
      return EXIT.ok;
    }
    const files = pick(manifest, oneOf(str(ctx.values.stream), STREAMS, "stream", "events"));
    if (files.length === 0) ctx.out("No export files yet: the scheduled export writes them (or POST /v1/export/run).");
    else ctx.out(formatTable(files, [{ title: "File", value: (f) => f.key }, { title: "Rows", value: (f) => int(f.rows), align: "right" }, { title: "Bytes", value: (f) => int(f.bytes), align: "right" }]));
    return EXIT.ok;
  },
};

export const exportDownload: Command = {
  words: ["export", "download"],
  summary: "Download the warehouse files into a folder (incremental: present files are skipped)",
  options: { ...streamOption, out: { type: "string", short: "o", help: "<dir>  where to write (default ./foothold-export)" } },
  details: ["Then, e.g.: duckdb -c \"SELECT count(*) FROM 'foothold-export/events/*/*.parquet'\""],
  async run(ctx) {
    const out = path.resolve(str(ctx.values.out) ?? "foothold-export");
    const client = ctx.client();
    const files = pick(await client.exportFiles(), oneOf(str(ctx.values.stream), STREAMS, "stream", "events"));
    let fetched = 0;
    let skipped = 0;
    for (const f of files) {
      const target = path.join(out, ...f.key.split("/"));
      if (!target.startsWith(out + path.sep)) throw new UsageError(`Refusing a file key outside the folder: ${f.key}`);
      if ((await stat(target).catch(() => null))?.size === f.bytes) {
        skipped++;
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true });
      const res = await client.send("GET", f.url);
      if (!res.body) throw new Error(`${f.key}: the collector sent no body.`);
      // Write beside, then rename: an interrupted download never looks complete.
      const partial = `${target}.partial`;
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
      await rename(partial, target);
      fetched++;
      ctx.err(`  ${f.key} (${int(f.bytes)} bytes)`);
    }
    ctx.out(`${fetched} file${fetched === 1 ? "" : "s"} downloaded, ${skipped} already present, in ${out}.`);
    return EXIT.ok;
  },
};

function pick(manifest: { events: { files: ExportFile[] }; rejects: { files: ExportFile[] } }, stream: (typeof STREAMS)[number]): ExportFile[] {
  return stream === "all" ? [...manifest.events.files, ...manifest.rejects.files] : manifest[stream].files;
}
