// Delivery (SPEC §11): the `foothold-alerts` queue's consumer POSTs each alert to its rule's URL,
// signed, at least once. The delivery row in D1 is the truth: a message only names a delivery,
// so a duplicate message, a message for a deleted rule or for a delivery already done is dropped,
// and the hourly sweep (signals/checks.ts) re-sends a pending delivery whose message was lost.
import { open } from "../auth/secret-box";
import type { Env } from "../env";
import { deliveryJob, keepBody, recordAttempt, type AttemptOutcome, type DeliveryJob } from "../storage/alerts";
import { deliveryFacts } from "./facts";
import { alertBody, signature } from "./payload";
import { ATTEMPT_TIMEOUT_MS, nextRetry, retryDelays } from "./schedule";

export interface AlertMessage {
  delivery_id: string;
}

export type Send = (url: string, init: RequestInit) => Promise<Response>;

/** Sends new deliveries to the queue; a failure is logged and left to the hourly sweep (the rows are committed). */
export async function enqueueDeliveries(queue: Queue, ids: readonly string[]): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i += 100) {
      await queue.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { delivery_id: id } satisfies AlertMessage, contentType: "json" as const })));
    }
  } catch (err) {
    console.error(`alerts: ${ids.length} delivery(s) not queued, the hourly sweep sends them`, err instanceof Error ? err.message : String(err));
  }
}

export interface Attempted {
  /** null: nothing was sent (no such pending delivery) */
  outcome: AttemptOutcome | null;
  /** seconds until the next attempt; null when delivered, failed for good or nothing to do */
  retryIn: number | null;
}

/** The receiver's answer in a few words, kept as last_error (never logged: it may echo the body). */
async function post(send: Send, job: DeliveryJob, body: string, sig: string): Promise<{ ok: boolean; http_status: number | null; error: string | null }> {
  try {
    const res = await send(job.rule.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Foothold-Alerts/1", "x-foothold-signature": sig, "x-foothold-delivery": job.id },
      body,
      // Redirects are not followed: a POST turned into a GET would look delivered.
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel();
      return { ok: true, http_status: res.status, error: null };
    }
    const text = (await res.text().catch(() => "")).slice(0, 200);
    return { ok: false, http_status: res.status, error: `HTTP ${res.status}${text ? `: ${text}` : ""}` };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { ok: false, http_status: null, error: timedOut ? `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s` : `could not connect: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function openSecret(hashSecret: string | undefined, job: DeliveryJob): Promise<string | { ok: false; http_status: null; error: string }> {
  if (!hashSecret) return { ok: false, http_status: null, error: "cannot sign: HASH_SECRET is not set" };
  try {
    return await open(hashSecret, `alert:${job.rule_id}`, job.rule.secret);
  } catch {
    return { ok: false, http_status: null, error: "cannot sign: the rule's secret does not open under this HASH_SECRET (was it changed? create the rule again)" };
  }
}

/**
 * One attempt of one delivery: builds its body on the first attempt (kept, so every retry sends
 * the same bytes and signature), signs, POSTs, and records the outcome with the next attempt's
 * time. Test deliveries get one attempt.
 */
export async function attemptDelivery(env: Env, id: string, send: Send): Promise<Attempted> {
  const job = await deliveryJob(env.DB, id);
  if (!job || job.status !== "pending") return { outcome: null, retryIn: null };
  const started = new Date();
  let body = job.body;
  if (body === null) {
    const facts = await deliveryFacts(env.DB, job, started);
    if (!facts) {
      const outcome = { at: started.toISOString(), ok: false, http_status: null, error: "the account no longer exists", next_at: null };
      await recordAttempt(env.DB, id, outcome);
      return { outcome, retryIn: null };
    }
    body = await keepBody(env.DB, id, alertBody(job.rule.format, facts));
  }
  const secret = await openSecret(env.HASH_SECRET, job);
  // An attempt that cannot be signed counts as failed, so it is retried on the schedule and gives up after 24 h.
  const result = typeof secret === "string" ? await post(send, job, body, await signature(secret, body)) : secret;
  const done = Date.now();
  const firstMs = job.first_attempt_at ? Date.parse(job.first_attempt_at) : started.getTime();
  const retryIn = result.ok || job.test ? null : nextRetry(job.attempts + 1, firstMs, done, retryDelays(env.ALERT_RETRY_SECONDS));
  const outcome: AttemptOutcome = { at: started.toISOString(), ...result, next_at: retryIn === null ? null : new Date(done + retryIn * 1000).toISOString() };
  await recordAttempt(env.DB, id, outcome);
  return { outcome, retryIn };
}

/**
 * The queue's consumer. Messages are attempted side by side (each waits up to 10 s for its
 * receiver). A failed attempt is retried through the queue with the schedule's delay; a D1 or
 * other internal failure retries the message in 30 s without counting an attempt.
 */
export async function consumeAlerts(batch: MessageBatch<AlertMessage>, env: Env, send: Send = (url, init) => fetch(url, init)): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        const { retryIn } = await attemptDelivery(env, msg.body.delivery_id, send);
        if (retryIn === null) msg.ack();
        else msg.retry({ delaySeconds: retryIn });
      } catch (err) {
        console.error("alerts: delivery attempt failed on our side, retrying", msg.body.delivery_id, err instanceof Error ? err.message : String(err));
        msg.retry({ delaySeconds: 30 });
      }
    }),
  );
}
