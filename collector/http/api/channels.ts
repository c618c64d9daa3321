import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../events";
import { errors, json, secured } from "./define";

// Channel override rules per deployment, checked before the GA4-style defaults, in order.

const Match = z
  .object({
    utm_source: z.string(), utm_medium: z.string(), utm_campaign: z.string(), referrer_host: z.string(),
    source: z.string().openapi({ description: "GA's session source" }), medium: z.string().openapi({ description: "GA's session medium" }),
    click_ids: z.string().openapi({ description: "the click ids present, space-separated: gclid msclkid li_fat_id fbclid ttclid" }),
  })
  .partial()
  .openapi({ description: "each value a case-insensitive regular expression; every one given must match" });
export const ChannelRule = z.object({ channel: z.enum(CHANNELS), match: Match }).openapi("ChannelRule");

export const getChannelRules = createRoute({
  method: "get", path: "/v1/settings/channels", tags: ["management"], summary: "Channel override rules in effect, and the default rules after them", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ rules: z.array(ChannelRule), defaults: z.array(ChannelRule).readonly() }), "The rules"), ...errors(400, 401, 403) },
});

export const putChannelRules = createRoute({
  method: "put", path: "/v1/settings/channels", tags: ["management"], summary: "Replace the channel override rules (applies to events received from then on)", ...secured("admin"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          // Loose on purpose: channel names and patterns are judged by the rule validator, which names every problem.
          schema: z.strictObject({
            rules: z
              .array(z.object({ channel: z.string().openapi({ enum: [...CHANNELS] }), match: z.record(z.string(), z.string().max(200)) }))
              .max(50)
              .openapi({ example: [{ channel: "Paid Social", match: { utm_source: "^partnerx$" } }] }),
          }),
        },
      },
    },
  },
  responses: { 200: json(z.object({ rules: z.array(ChannelRule) }), "The rules now in effect"), ...errors(400, 401, 403, 413, 415) },
});

export const channelRoutes = [getChannelRules, putChannelRules] as const;
