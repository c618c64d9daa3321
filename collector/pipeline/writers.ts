import { identityWriter } from "./identity-writer";
import type { SessionDelta, SessionizedEvent, VisitorState } from "./sessionize";

/** What one queue message produced, after dedupe and sessionizing. */
export interface PipelineOutput {
  events: SessionizedEvent[];
  sessions: SessionDelta[];
  visitors: VisitorState[];
}

/**
 * Read models maintained by the consumer (identity, rollups) plug in here: each may read D1,
 * then returns statements that commit in the same transaction as the events themselves.
 */
export type PipelineWriter = (d1: D1Database, out: PipelineOutput) => Promise<D1PreparedStatement[]>;

export const PIPELINE_WRITERS: PipelineWriter[] = [identityWriter];
