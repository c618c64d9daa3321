// When a failed delivery is tried again (SPEC §11): after about 10 s, 30 s, 1 min, 5 min and
// 15 min, then hourly, for 24 hours from the first attempt; after that it is marked failed.

export const RETRY_DELAYS_S = [10, 30, 60, 300, 900] as const;
export const HOURLY_S = 3_600;
export const GIVE_UP_AFTER_S = 24 * 3_600;
/** A receiver that has not answered within this is a failed attempt. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The delays of the first retries, from the `ALERT_RETRY_SECONDS` var when it is set
 * ("1,2": the first retry after 1 s, the second after 2 s, the rest as usual). For tests and
 * local trials of a flaky receiver; production leaves it unset.
 */
export function retryDelays(override: string | undefined): number[] {
  const delays: number[] = [...RETRY_DELAYS_S];
  if (!override) return delays;
  override.split(",").forEach((part, i) => {
    const s = Number(part.trim());
    if (Number.isInteger(s) && s >= 0 && s <= HOURLY_S) delays[i] = s;
  });
  return delays;
}

/**
 * Seconds until the next attempt after `failed` failed attempts (1 after the first), or null when
 * that attempt would fall more than 24 hours after the first one: the delivery has failed.
 */
export function nextRetry(failed: number, firstAttemptMs: number, nowMs: number, delays: readonly number[] = RETRY_DELAYS_S): number | null {
  const delay = delays[failed - 1] ?? HOURLY_S;
  if (nowMs + delay * 1000 - firstAttemptMs > GIVE_UP_AFTER_S * 1000) return null;
  return delay;
}
