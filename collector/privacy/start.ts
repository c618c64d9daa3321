// POST /v1/privacy/erase (SPEC §13): find everything that names the person, then in one
// transaction log the erasure (by key kind, never the key), store the identifiers its scan
// matches, list their keyed hashes for suppression and move the identity epoch — so from the
// commit on no event of the person is stored (privacy/suppression.ts) — and queue its plan.
import type { Env } from "../env";
import { guardIdentityEpoch, isEpochConflict, readIdentityEpoch } from "../storage/identity-epoch";
import { insertErasure, type ErasureKind } from "../storage/privacy";
import { type EraseKey, personIdentifiers } from "./identifiers";
import { tokenOf } from "./suppression";
import { sendTasks } from "./tasks";

/** Identity commits between the reads and this one's make it read again (each try takes milliseconds). */
const TRIES = 5;

export const kindOf = (key: EraseKey): ErasureKind => ("email" in key ? "email" : "user_id" in key ? "user_id" : "anonymous_id");

export async function startErasure(env: Pick<Env, "DB" | "ERASURE">, secret: string, key: EraseKey, requestedBy: string, now = new Date()): Promise<{ id: string }> {
  const d1 = env.DB;
  const id = `era_${crypto.randomUUID()}`;
  const at = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const epoch = await readIdentityEpoch(d1);
    const found = await personIdentifiers(d1, key, secret);
    const suppressions = await Promise.all(found.keys.map(async (k) => ({ token: await tokenOf(k, secret), kind: k.kind })));
    try {
      await d1.batch([
        // A consumer batch that read the epoch before this commit fails its own and is retried with the list in place.
        ...guardIdentityEpoch(d1, epoch, at),
        ...insertErasure(d1, { id, key_kind: kindOf(key), requested_by: requestedBy, requested_at: at }, found.keys, suppressions),
      ]);
      break;
    } catch (err) {
      if (!isEpochConflict(err) || attempt >= TRIES) throw err;
    }
  }
  // A lost message is sent again by the hourly job (privacy/tasks.ts resumeErasures).
  await sendTasks(env, id, ["plan"]).catch((err) => console.error("erasure: could not queue its plan; the hourly job will", id, err instanceof Error ? err.message : String(err)));
  return { id };
}
