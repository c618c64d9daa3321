import type { Env } from "../env";
import type { EnrichedEvent, RejectedEvent } from "../events";
import type { Site } from "../storage/sites";
import { buildEvent, buildReject, type RequestFacts } from "./build";
import { enqueue } from "./enqueue";
import { validateEvent } from "./validate";

export interface IngestResult {
  accepted: number;
  rejected: { index: number; code: string; message: string }[];
}

/**
 * validate → enrich → enqueue for one request's events. Valid events are kept even when
 * others in the same request are refused; refused ones go to the queue too, with the reason,
 * so they can be inspected (GET /v1/rejects) instead of being lost.
 */
export async function ingest(env: Env, site: Site, raw: unknown[], facts: RequestFacts): Promise<IngestResult> {
  const events: EnrichedEvent[] = [];
  const rejects: RejectedEvent[] = [];
  const rejected: IngestResult["rejected"] = [];
  const seen = new Set<string>();
  for (const [index, item] of raw.entries()) {
    const v = validateEvent(item, facts.receivedAt, () => crypto.randomUUID(), facts.maxSendDelayMs);
    if (!v.ok) {
      rejects.push(await buildReject(item, site.id, facts, v.code, v.reason));
      rejected.push({ index, code: v.code, message: v.reason });
      continue;
    }
    // The same messageId twice in one request is one event.
    if (seen.has(v.event.messageId)) continue;
    seen.add(v.event.messageId);
    events.push(await buildEvent(v.event, site, facts));
  }
  if (events.length || rejects.length) await enqueue(env.EVENTS, events, rejects);
  return { accepted: events.length, rejected };
}
