// What bench/redaction.mjs measures, bundled as the Worker runs it.
export { buildEvent } from "../collector/ingest/build";
export { redactEvent, withEmailHashes } from "../collector/ingest/redact";
export { hashEmail } from "../collector/identity/email";
