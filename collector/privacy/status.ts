// What GET /v1/privacy/erasures(/:id) shows of an erasure: when, by which caller, by what kind of
// key, what it removed (live while it runs, from the log row once done) and what it suppressed.
// Never the identifier.
import { taskProgress } from "../storage/erasure-tasks";
import { type ErasureRow, fileTotals, type FileTotals, listErasures, parquetKeysOf, readErasure } from "../storage/privacy";

export interface ErasureView {
  id: string;
  status: "running" | "done";
  by: ErasureRow["key_kind"];
  requested_by: string;
  requested_at: string;
  finished_at: string | null;
  visitors: number;
  people: number;
  sessions: number;
  events: number;
  rejects: number;
  files: { raw: number; parquet: number; dead_letters: number };
  parquet_rows: number;
  suppressed: number;
  progress: { tasks_done: number; tasks: number };
}

function view(row: ErasureRow, totals: FileTotals[], progress: { done: number; total: number } | undefined): ErasureView {
  const live = (kind: FileTotals["kind"], what: "files" | "removed") => totals.find((t) => t.kind === kind)?.[what] ?? 0;
  const done = row.status === "done";
  return {
    id: row.id,
    status: row.status,
    by: row.key_kind,
    requested_by: row.requested_by,
    requested_at: row.requested_at,
    finished_at: row.finished_at,
    visitors: row.visitors,
    people: row.people,
    sessions: row.sessions,
    events: done ? row.events : live("raw", "removed"),
    rejects: done ? row.rejects : live("rejects", "removed"),
    files: {
      raw: done ? row.raw_files : live("raw", "files") + live("rejects", "files"),
      parquet: done ? row.parquet_files : live("parquet", "files"),
      dead_letters: done ? row.dead_letters : live("dead", "files"),
    },
    parquet_rows: done ? row.parquet_rows : live("parquet", "removed"),
    suppressed: row.suppressed,
    // Tasks are dropped once done; a done erasure shows them all finished.
    progress: done || !progress ? { tasks_done: done ? 1 : 0, tasks: 1 } : { tasks_done: progress.done, tasks: progress.total },
  };
}

async function views(d1: D1Database, rows: ErasureRow[]): Promise<ErasureView[]> {
  const running = rows.filter((r) => r.status === "running").map((r) => r.id);
  const [totals, progress] = running.length ? await Promise.all([fileTotals(d1, running), taskProgress(d1, running)]) : [[], new Map()];
  return rows.map((r) => view(r, totals.filter((t) => t.erasure_id === r.id), progress.get(r.id)));
}

/** One erasure, with the Parquet files it rewrote (what a warehouse that loaded them reloads). */
export async function erasureStatus(d1: D1Database, id: string): Promise<(ErasureView & { parquet_keys: string[] }) | null> {
  const row = await readErasure(d1, id);
  if (!row) return null;
  const [v] = await views(d1, [row]);
  return { ...v, parquet_keys: await parquetKeysOf(d1, id) };
}

export async function erasureLog(d1: D1Database, limit: number, before: string | null): Promise<{ erasures: ErasureView[]; next_before: string | null }> {
  const rows = await listErasures(d1, limit, before);
  return { erasures: await views(d1, rows), next_before: rows.length === limit ? rows[rows.length - 1].id : null };
}
