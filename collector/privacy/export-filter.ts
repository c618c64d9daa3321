// While an erasure runs, the warehouse export leaves its person's rows out of every part it writes
// (export/run.ts). Without this, a run could read a raw object just before the erasure rewrote it
// and list a part holding the person's rows after the erasure scanned that day's parts. Runs that
// read the manifest before the erasure began cannot commit (its plan rewrites the manifest), so
// every part committed since was written by a run that loaded this filter after the identifiers
// were stored. Once the erasure is done its raw objects are clean and its identifiers are dropped.
import type { RejectedEvent } from "../events";
import type { ExportRow } from "../export/columns";
import { erasureKeys } from "../storage/privacy";
import { erasedKeys, eventMatches, isEmpty, rejectMatches } from "./match";

export interface ExportFilter {
  /** true: the row goes into the part */
  event(row: ExportRow): boolean;
  reject(row: RejectedEvent): boolean;
}

const KEEP_ALL: ExportFilter = { event: () => true, reject: () => true };

export async function exportFilter(d1: D1Database): Promise<ExportFilter> {
  const keys = erasedKeys(await erasureKeys(d1));
  if (isEmpty(keys)) return KEEP_ALL;
  return { event: (row) => !eventMatches(row, keys), reject: (row) => !rejectMatches(row, keys) };
}
