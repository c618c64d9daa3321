// An erasure's tasks (schema/privacy.ts `erasure_tasks`): one row per step, its cursor the last
// object key it finished, so a step cut short carries on from there (collector/privacy/tasks.ts).

export interface TaskRow {
  erasure_id: string;
  name: string;
  status: "pending" | "done";
  cursor: string | null;
  updated_at: string;
}

export function insertTasks(d1: D1Database, erasureId: string, names: readonly string[], now: string): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO erasure_tasks (erasure_id, name, status, updated_at)
       SELECT ?2, value, 'pending', ?3 FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING`,
    )
    .bind(JSON.stringify(names), erasureId, now);
}

export async function readTask(d1: D1Database, erasureId: string, name: string): Promise<TaskRow | null> {
  return d1.prepare("SELECT erasure_id, name, status, cursor, updated_at FROM erasure_tasks WHERE erasure_id = ?1 AND name = ?2").bind(erasureId, name).first<TaskRow>();
}

/** A task's progress: the last object it finished, and whether it is done. */
export function saveTask(d1: D1Database, erasureId: string, name: string, cursor: string | null, done: boolean, now: string): D1PreparedStatement {
  return d1
    .prepare("UPDATE erasure_tasks SET cursor = ?3, status = ?4, updated_at = ?5 WHERE erasure_id = ?1 AND name = ?2")
    .bind(erasureId, name, cursor, done ? "done" : "pending", now);
}

/**
 * Moves a pending task's cursor from `from` to `to`; false when another delivery of the same
 * message moved it first (that one carries on, so this one stops).
 */
export async function advanceTask(d1: D1Database, erasureId: string, name: string, from: string | null, to: string | null, done: boolean, now: string): Promise<boolean> {
  const r = await d1
    .prepare(
      `UPDATE erasure_tasks SET cursor = ?4, status = ?5, updated_at = ?6
       WHERE erasure_id = ?1 AND name = ?2 AND status = 'pending' AND cursor IS ?3`,
    )
    .bind(erasureId, name, from, to, done ? "done" : "pending", now)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

export async function pendingTasks(d1: D1Database, erasureId: string): Promise<TaskRow[]> {
  const { results } = await d1
    .prepare("SELECT erasure_id, name, status, cursor, updated_at FROM erasure_tasks WHERE erasure_id = ?1 AND status = 'pending' ORDER BY name")
    .bind(erasureId)
    .all<TaskRow>();
  return results;
}

/** A task is about to be sent again: the resumer does not send it twice in a row. */
export function touchTasks(d1: D1Database, erasureId: string, names: readonly string[], now: string): D1PreparedStatement {
  return d1
    .prepare("UPDATE erasure_tasks SET updated_at = ?3 WHERE erasure_id = ?1 AND name IN (SELECT value FROM json_each(?2))")
    .bind(erasureId, JSON.stringify(names), now);
}

export interface Progress {
  erasure_id: string;
  done: number;
  total: number;
}

export async function taskProgress(d1: D1Database, ids: readonly string[]): Promise<Map<string, Progress>> {
  const { results } = await d1
    .prepare(
      `SELECT erasure_id, sum(status = 'done') AS done, count(*) AS total FROM erasure_tasks
       WHERE erasure_id IN (SELECT value FROM json_each(?1)) GROUP BY erasure_id`,
    )
    .bind(JSON.stringify(ids))
    .all<Progress>();
  return new Map(results.map((r) => [r.erasure_id, r]));
}
