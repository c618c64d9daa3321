// SPEC §3 limits. Queue messages cap at 128 KB, so one event must fit well inside one.
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_REQUEST_BYTES = 500 * 1024;
export const MAX_EVENTS_PER_REQUEST = 2_000;
/** nesting deeper than this in properties/traits/context is refused */
export const MAX_DEPTH = 16;
export const MAX_ID_LENGTH = 256;
export const MAX_NAME_LENGTH = 256;
/** client clocks run fast or slow; a timestamp further in the future is clamped to receive time */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/**
 * The snippet re-sends an event for at most 7 days after it happened (SPEC §2), so every re-send
 * falls inside the dedupe window (at least 7 days, SPEC §12). The snippet has no bytes left to
 * count the days itself: the collector refuses an older re-send on its path, by the snippet's own
 * clock (its send time minus the event's time, so a skewed clock does not matter).
 */
export const MAX_SNIPPET_RESEND_MS = 7 * 24 * 3600_000;
/** events older than this are refused (Segment's own window is 30 days for replays) */
export const MAX_AGE_MS = 366 * 24 * 3600_000;
