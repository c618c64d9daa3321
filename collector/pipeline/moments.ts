// The timeline moments of a batch's human events: identify, group and form events (SPEC §4
// timeline). Their detail names forms and fields, never values.
import type { EnrichedEvent } from "../events";
import type { Moment } from "../storage/rollups";

const FORM_EVENTS = new Set(["form_start", "form_submit", "form_abandon"]);

export function momentOf(e: EnrichedEvent, visitor: string): Moment | null {
  const base = { anonymous_id: visitor, at: e.timestamp };
  if (e.type === "identify") {
    return { ...base, kind: "identify", detail: JSON.stringify({ person_id: e.email_hash, email_domain: e.email_domain, user_id: e.user_id, path: e.path }) };
  }
  if (e.type === "group") return { ...base, kind: "group", detail: JSON.stringify({ group_id: e.group_id }) };
  if (e.type === "track" && e.event !== null && FORM_EVENTS.has(e.event)) {
    let props: Record<string, unknown> = {};
    try {
      props = JSON.parse(e.properties) as Record<string, unknown>;
    } catch {
      // a form event without readable properties still happened
    }
    const form = typeof props.form === "string" ? props.form : typeof props.form_id === "string" ? props.form_id : null;
    const fields = Array.isArray(props.fields) ? props.fields.filter((f): f is string => typeof f === "string").slice(0, 50) : [];
    return { ...base, kind: e.event as Moment["kind"], detail: JSON.stringify({ form, fields, path: e.path }) };
  }
  return null;
}
