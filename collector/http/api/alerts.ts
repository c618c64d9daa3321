import { createRoute, z } from "@hono/zod-openapi";
import { ALERT_FORMATS, ALERT_KINDS } from "../../signals/rules";
import { errors, intQuery, json, secured, segmentName } from "./define";

// Signals (SPEC §11): alert rules, their deliveries, a test send. Admin only: a rule holds a
// receiver URL and signs with a secret.

export const AlertWhen = z
  .strictObject({
    kind: z.enum(ALERT_KINDS),
    segment: segmentName.optional().openapi({ description: "only accounts of this segment", example: "target" }),
    path: z.string().min(1).max(500).optional().openapi({ description: "page_view (required), form_submit (optional): a path glob, `*` matching any characters, `/` included", example: "/pricing*" }),
    threshold: z.number().positive().max(1e9).optional().openapi({ description: "score_above (required): fires when the 30-day score rises above it", example: 50 }),
  })
  .openapi("AlertWhen");

const idParam = z.object({ id: z.string().min(1).max(100).openapi({ example: "alert_0b6f…" }) });

const AlertFields = {
  id: z.string(),
  name: z.string(),
  when: AlertWhen,
  url: z.string(),
  format: z.enum(ALERT_FORMATS),
  cooldown_hours: z.number(),
  created_at: z.string(),
};

export const Alert = z
  .object({ ...AlertFields, deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }) })
  .openapi("Alert");

export const Delivery = z
  .object({
    id: z.string().openapi({ description: "also the X-Foothold-Delivery header, the same on every attempt" }),
    status: z.enum(["pending", "delivered", "failed"]),
    attempts: z.number().int(),
    last_error: z.string().nullable().openapi({ description: "the last failed attempt's error (kept after a later success)" }),
    last_status: z.number().int().nullable().openapi({ description: "HTTP status of the last attempt; null when the receiver did not answer" }),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    next_attempt_at: z.string().nullable().openapi({ description: "while pending: when it is tried again" }),
    kind: z.enum(ALERT_KINDS),
    test: z.boolean().openapi({ description: "a sample sent by POST /v1/alerts/{id}/test" }),
    account: z.string().nullable().openapi({ description: "the account's domain (null for a test)" }),
  })
  .openapi("AlertDelivery");

export const createAlert = createRoute({
  method: "post", path: "/v1/alerts", tags: ["signals"], summary: "Create an alert rule; answers its signing secret (shown once)", ...secured("admin"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            name: z.string().trim().min(1).max(200).openapi({ example: "Pricing views by target accounts" }),
            when: AlertWhen,
            url: z.string().min(1).max(2000).openapi({ description: "http(s) receiver; a Slack incoming-webhook URL for format slack", example: "https://hooks.example.com/foothold" }),
            format: z.enum(ALERT_FORMATS).default("json"),
            cooldown_hours: z.number().min(0).max(8760).optional().openapi({ description: "one alert per rule and account per cooldown (default 24)" }),
          }),
        },
      },
    },
  },
  responses: {
    201: json(z.object({ ...AlertFields, secret: z.string().openapi({ description: "HMAC-SHA256 key of X-Foothold-Signature, shown this once" }) }), "The rule, with its secret"),
    ...errors(400, 401, 403, 413, 415, 503),
  },
});

export const listAlerts = createRoute({
  method: "get", path: "/v1/alerts", tags: ["signals"], summary: "List alert rules with their delivery counts (never the secrets)", ...secured("admin"),
  request: { query: z.strictObject({}) },
  responses: { 200: json(z.object({ alerts: z.array(Alert) }), "Every rule"), ...errors(400, 401, 403) },
});

export const deleteAlert = createRoute({
  method: "delete", path: "/v1/alerts/{id}", tags: ["signals"], summary: "Delete an alert rule and its deliveries", ...secured("admin"),
  request: { params: idParam },
  responses: { 200: json(z.object({ id: z.string(), deleted: z.literal(true) }), "Deleted"), ...errors(400, 401, 403, 404) },
});

export const alertDeliveries = createRoute({
  method: "get", path: "/v1/alerts/{id}/deliveries", tags: ["signals"], summary: "A rule's deliveries, newest first: status, attempts, last error", ...secured("admin"),
  request: { params: idParam, query: z.strictObject({ limit: intQuery(1, 500, 50, "rows") }) },
  responses: { 200: json(z.object({ deliveries: z.array(Delivery) }), "Deliveries"), ...errors(400, 401, 403, 404) },
});

export const testAlert = createRoute({
  method: "post", path: "/v1/alerts/{id}/test", tags: ["signals"], summary: "Send a sample alert now, once (signed like the real ones), and say how it went", ...secured("admin"),
  request: { params: idParam },
  responses: { 200: json(Delivery, "The test delivery: delivered, or failed with the receiver's answer"), ...errors(400, 401, 403, 404, 503) },
});

export const alertRoutes = [createAlert, listAlerts, deleteAlert, alertDeliveries, testAlert] as const;
