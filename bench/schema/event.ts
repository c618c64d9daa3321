// One Segment event as a zod schema, checking what collector/ingest/validate.ts checks by hand
// (types, id lengths, the track name, object fields), so the two can be timed on the same events.
import { z } from "zod";

const id = z.union([z.string().max(256), z.number()]).nullish();
const object = z.record(z.string(), z.unknown()).nullish();
const common = {
  messageId: id,
  anonymousId: id,
  userId: id,
  timestamp: z.union([z.string(), z.number()]).nullish(),
  properties: object,
  traits: object,
  context: object,
};

export const EventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("track"), event: z.string().trim().min(1).max(256), ...common }),
  z.object({ type: z.enum(["page", "screen"]), name: z.string().optional(), ...common }),
  z.object({ type: z.literal("identify"), ...common }),
  z.object({ type: z.literal("group"), groupId: z.union([z.string().min(1).max(256), z.number()]), ...common }),
  z.object({ type: z.literal("alias"), previousId: z.union([z.string().min(1).max(256), z.number()]), ...common }),
]).refine((e) => e.anonymousId != null || e.userId != null, "Either `anonymousId` or `userId` is required.");
