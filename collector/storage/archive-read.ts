// Reading the archive back (SPEC §7, §12): the NDJSON export, the Parquet compaction and GET
// /v1/rejects read the ledgered R2 objects, never D1 rows. An event is exported with what the
// collector knows now: its visitor's account (retroactive resolution), the session that covers
// its time and that session's bot verdict (sessions are re-cut when late events arrive).
import type { RejectedEvent } from "../events";
import type { ExportRow } from "../export/columns";
import type { SessionRow } from "../pipeline/sessionize";
import { ledgerAfter, ledgerBefore, readArchiveObject, type LedgerRow, type Stream } from "./archive";
import { jsonChunks } from "./db";
import { legacyFloor } from "./legacy";
import { sessionsOfVisitors } from "./sessions";

export type Sequenced<R> = R & { seq: number };
type Store = { DB: D1Database; ARCHIVE: R2Bucket };

/** Objects listed per ledger read. */
const OBJECTS = 50;

/** Lines of `stream` with after < seq ≤ through (null: no bound), in seq order, at most `limit`. */
async function linesAfter<R>(store: Store, stream: Stream, after: number, through: number | null, limit: number): Promise<Sequenced<R>[]> {
  // While an upgrade is moving first-version rows, stop below the first row not moved yet.
  const floor = await legacyFloor(store.DB, stream);
  const bound = Math.min(through ?? Number.MAX_SAFE_INTEGER, floor === null ? Number.MAX_SAFE_INTEGER : floor - 1);
  const out: Sequenced<R>[] = [];
  let cursor = after;
  for (;;) {
    const rows = await ledgerAfter(store.DB, stream, cursor, OBJECTS);
    for (const row of rows) {
      if (row.first_seq > bound) return out;
      for (const line of await readArchiveObject<Sequenced<R>>(store.ARCHIVE, row)) {
        if (line.seq <= after || line.seq > bound) continue;
        out.push(line);
        if (out.length >= limit) return out;
      }
      cursor = row.last_seq;
    }
    if (rows.length < OBJECTS) return out;
  }
}

/** Events with after < seq ≤ through in seq order, at most `limit`, as exported now. */
export async function archivedEvents(store: Store, after: number, through: number | null, limit: number): Promise<Sequenced<ExportRow>[]> {
  const lines = await linesAfter<ExportRow>(store, "raw", after, through, limit);
  return withCurrentState(store.DB, lines);
}

export async function archivedRejects(store: Store, after: number, through: number | null, limit: number): Promise<Sequenced<RejectedEvent>[]> {
  return linesAfter<RejectedEvent>(store, "rejects", after, through, limit);
}

/** Refused events with seq < before (null: the newest), newest first, at most `limit`. */
export async function rejectsBefore(store: Store, before: number | null, limit: number): Promise<Sequenced<RejectedEvent>[]> {
  const out: Sequenced<RejectedEvent>[] = [];
  let cursor = before;
  for (;;) {
    const rows: LedgerRow[] = await ledgerBefore(store.DB, "rejects", cursor, OBJECTS);
    for (const row of rows) {
      const lines = (await readArchiveObject<Sequenced<RejectedEvent>>(store.ARCHIVE, row)).filter((l) => before === null || l.seq < before);
      for (const l of lines.sort((a, b) => b.seq - a.seq)) {
        out.push(l);
        if (out.length >= limit) return out;
      }
      cursor = row.first_seq;
    }
    if (rows.length < OBJECTS) return out;
  }
}

/** The visitor a stored event counts for: its anonymous id, or u:<userId> for a backend call with only a userId. */
const visitorOf = (e: ExportRow) => e.anonymous_id ?? (e.user_id !== null ? `u:${e.user_id}` : null);

async function withCurrentState(d1: D1Database, lines: Sequenced<ExportRow>[]): Promise<Sequenced<ExportRow>[]> {
  const visitors = [...new Set(lines.map(visitorOf).filter((v): v is string => v !== null))];
  const anonymous = [...new Set(lines.map((e) => e.anonymous_id).filter((v): v is string => v !== null))];
  const [accounts, sessions] = await Promise.all([accountDomains(d1, visitors), sessionsOfVisitors(d1, anonymous)]);
  const byVisitor = new Map<string, SessionRow[]>();
  for (const s of sessions) byVisitor.set(s.anonymous_id, [...(byVisitor.get(s.anonymous_id) ?? []), s]);
  return lines.map((e) => {
    const visitor = visitorOf(e);
    const session = e.anonymous_id ? covering(byVisitor.get(e.anonymous_id) ?? [], e.timestamp) : null;
    const { hosting_network: _h, ...row } = e as Sequenced<ExportRow> & { hosting_network?: boolean };
    return {
      ...row,
      account_domain: visitor ? (accounts.get(visitor) ?? null) : null,
      session_id: session ? String(session.id) : e.session_id,
      is_bot: session ? session.is_bot : e.is_bot,
      bot_reason: session ? session.bot_reason : e.bot_reason,
    };
  });
}

/** A visitor's sessions do not overlap: the one whose span holds the time. */
function covering(sessions: readonly SessionRow[], at: string): SessionRow | null {
  let best: SessionRow | null = null;
  for (const s of sessions) if (s.started_at <= at && s.ended_at >= at && (!best || s.started_at > best.started_at)) best = s;
  return best;
}

async function accountDomains(d1: D1Database, visitors: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of jsonChunks(visitors)) {
    const { results } = await d1
      .prepare(
        `SELECT vi.anonymous_id, a.domain FROM visitor_identities vi JOIN accounts a ON a.id = vi.account_id
         WHERE vi.anonymous_id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(chunk)
      .all<{ anonymous_id: string; domain: string }>();
    for (const r of results) out.set(r.anonymous_id, r.domain);
  }
  return out;
}
