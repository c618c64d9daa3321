// An erasure's work, fanned out over the `foothold-erasure` queue so it scales past one
// invocation (a year of files is tens of thousands of objects):
//
//   plan   — waits for a first-version upgrade to finish moving rows to R2, makes in-flight export
//            runs lose their next manifest write, lists the bucket's day folders and creates one
//            `scan:<folder>` task per folder, plus `scan:dead/` and `d1`;
//   scan:… — one page of objects at a time (privacy/scan.ts), its progress (the last key done)
//            saved after each page, then the next page is queued;
//   d1     — the person's sessions, identities, people, moments and day rollups, in one transaction;
//   finish — when no task is left: one export run (a claim left by a run that predates the
//            erasure is redone, with the person filtered out), Parquet parts nobody lists deleted,
//            the totals logged and the identifiers in clear dropped; then `done`.
//
// Every step is idempotent (a message delivered twice, or retried after a crash half-way, redoes
// its page and finds it clean), so the queue's at-least-once delivery is all it needs; a message
// lost for good is sent again by the hourly job (resumeErasures). We read every object of every
// day folder rather than keep an index of which visitors each holds: D1 has no bytes to spare
// per event (SPEC §9), and an erasure is rare.
import type { Env } from "../env";
import { runExport } from "../export/run";
import { moveLegacyChunk } from "../storage/legacy";
import { removePersonState } from "../storage/erasure-state";
import { advanceTask, insertTasks, pendingTasks, readTask, saveTask, touchTasks } from "../storage/erasure-tasks";
import { erasureKeys, finishErasure, readErasure, runningErasures } from "../storage/privacy";
import { DEAD_FOLDER, dayFolders, deleteObjects, TOP_FOLDERS, touchManifest, unlistedParts } from "../storage/privacy-objects";
import { erasedKeys } from "./match";
import { PAGE_OBJECTS, scanPage } from "./scan";

export interface ErasureMessage {
  erasure: string;
  /** plan | d1 | scan:<folder> | finish */
  task: string;
}

type TaskEnv = Pick<Env, "DB" | "ARCHIVE" | "ERASURE" | "ERASURE_PAGE_OBJECTS">;

/** Queue limits: 100 messages per sendBatch. */
const SEND_BATCH = 100;
/** While an upgrade still moves first-version rows, the plan looks again this much later. */
const UPGRADE_WAIT_S = 30;
const UPGRADE_CHUNKS = 20;

export async function sendTasks(env: Pick<Env, "ERASURE">, erasure: string, tasks: readonly string[], delaySeconds?: number): Promise<void> {
  for (let i = 0; i < tasks.length; i += SEND_BATCH) {
    await env.ERASURE.sendBatch(tasks.slice(i, i + SEND_BATCH).map((task) => ({ body: { erasure, task } satisfies ErasureMessage, delaySeconds })));
  }
}

/** Retry delay grows with each attempt, up to 5 minutes. */
const backoff = (attempts: number) => Math.min(5 * 2 ** attempts, 300);

export async function consumeErasures(batch: MessageBatch<ErasureMessage>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    try {
      await runTask(env, msg.body);
      msg.ack();
    } catch (err) {
      // No identifier in the log: the erasure id and task name only.
      console.error("erasure task failed, will retry", msg.body.erasure, msg.body.task.slice(0, 80), err instanceof Error ? err.message : String(err));
      msg.retry({ delaySeconds: backoff(msg.attempts) });
    }
  }
}

export async function runTask(env: TaskEnv, m: ErasureMessage): Promise<void> {
  const erasure = await readErasure(env.DB, m.erasure);
  if (!erasure || erasure.status === "done") return;
  if (m.task === "finish") return finish(env, m.erasure);
  const task = await readTask(env.DB, m.erasure, m.task);
  // A plan delivered again after it committed: its tasks may not have been sent.
  if (task?.status === "done" && m.task === "plan") return sendTasks(env, m.erasure, (await pendingTasks(env.DB, m.erasure)).map((t) => t.name));
  if (!task || task.status === "done") return;
  const now = new Date().toISOString();
  if (m.task === "plan") {
    if (!(await plan(env, m.erasure, now))) return;
  } else if (m.task === "d1") {
    const keys = await erasureKeys(env.DB, m.erasure);
    const visitors = [...keys.filter((k) => k.kind === "anonymous_id").map((k) => k.value), ...keys.filter((k) => k.kind === "user_id").map((k) => `u:${k.value}`)];
    await removePersonState(env.DB, m.erasure, visitors, keys.filter((k) => k.kind === "email_hash").map((k) => k.value), now);
  } else if (m.task.startsWith("scan:")) {
    const keys = erasedKeys(await erasureKeys(env.DB, m.erasure));
    const page = await scanPage(env, m.erasure, m.task.slice("scan:".length), task.cursor, keys, now, Number(env.ERASURE_PAGE_OBJECTS) || PAGE_OBJECTS);
    if (!(await advanceTask(env.DB, m.erasure, m.task, task.cursor, page.last, !page.more, now))) return;
    if (page.more) return sendTasks(env, m.erasure, [m.task]);
  } else {
    throw new Error(`unknown erasure task ${m.task.slice(0, 80)}`);
  }
  await finishWhenLast(env, m.erasure);
}

/** The task that finds none left queues the last step (twice is harmless: it is idempotent). */
async function finishWhenLast(env: TaskEnv, erasure: string): Promise<void> {
  if ((await pendingTasks(env.DB, erasure)).length === 0) await sendTasks(env, erasure, ["finish"]);
}

/** Answers false while it waits for an upgrade (it queued itself again). */
async function plan(env: TaskEnv, erasure: string, now: string): Promise<boolean> {
  // First-version rows still in D1 are moved to R2 first, so the scan sees them where they end up.
  for (let i = 0; i < UPGRADE_CHUNKS; i++) {
    if (!(await moveLegacyChunk(env))) break;
    if (i === UPGRADE_CHUNKS - 1) {
      await sendTasks(env, erasure, ["plan"], UPGRADE_WAIT_S);
      return false;
    }
  }
  await touchManifest(env.ARCHIVE, now);
  const folders = (await Promise.all(TOP_FOLDERS.map((top) => dayFolders(env.ARCHIVE, top)))).flat();
  const tasks = ["d1", `scan:${DEAD_FOLDER}`, ...folders.map((f) => `scan:${f}`)];
  await env.DB.batch([insertTasks(env.DB, erasure, tasks, now), saveTask(env.DB, erasure, "plan", null, true, now)]);
  // Tasks already done (a plan run twice) skip themselves.
  await sendTasks(env, erasure, tasks);
  return true;
}

async function finish(env: TaskEnv, erasure: string): Promise<void> {
  if ((await pendingTasks(env.DB, erasure)).length > 0) return;
  // Settles any claim a run made before the erasure began: redone now, without the person.
  const report = await runExport(env);
  if (report.lost_race) throw new Error("an export run wrote the manifest meanwhile; finishing again");
  // Parts no manifest lists below its cursor are leftovers of such claims (named by other seqs): nobody reads them, so they go.
  const { parts, cursor } = await unlistedParts(env.ARCHIVE);
  const leftovers = parts.filter((p) => p.last_seq <= cursor[p.stream]).map((p) => p.key);
  // R2 deletes at most 1,000 keys per call.
  for (let i = 0; i < leftovers.length; i += 1000) await deleteObjects(env.ARCHIVE, leftovers.slice(i, i + 1000));
  await env.DB.batch(finishErasure(env.DB, erasure, new Date().toISOString()));
}

/** Stalled tasks (their message lost past its retries) are sent again; the hourly job calls this. */
const STALE_MS = 15 * 60_000;

export async function resumeErasures(env: TaskEnv, now = new Date()): Promise<{ erasures: number; resent: number }> {
  let resent = 0;
  const ids = await runningErasures(env.DB, 50);
  for (const id of ids) {
    const pending = await pendingTasks(env.DB, id);
    const stale = pending.filter((t) => Date.parse(t.updated_at) < now.getTime() - STALE_MS).map((t) => t.name);
    // Nothing pending: the finish message was lost (or failed past its retries).
    const names = pending.length === 0 ? ["finish"] : stale;
    if (names.length === 0) continue;
    if (stale.length) await touchTasks(env.DB, id, stale, now.toISOString()).run();
    await sendTasks(env, id, names);
    resent += names.length;
  }
  return { erasures: ids.length, resent };
}
