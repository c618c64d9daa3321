// Alert rules (SPEC §11): create, list, send a test, see deliveries, delete. Admin chores.
import type { Alert, AlertDelivery } from "../client/client";
import { ALERT_FORMATS, ALERT_KINDS } from "../client/enums";
import { type Command, EXIT, oneOf, positiveInt, str, UsageError } from "../command";
import { formatTable, int } from "../table";

const json = { json: { type: "boolean" as const, help: "print the API's JSON instead of a table" } };

/** "page_view /pricing* (target)": a rule's `when` in a few words. */
export function whenText(w: Alert["when"]): string {
  const what = w.kind === "score_above" ? `score_above ${w.threshold}` : w.path ? `${w.kind} ${w.path}` : w.kind;
  return w.segment ? `${what} (${w.segment})` : what;
}

function number(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}.`);
  return n;
}

export const alertsCreate: Command = {
  words: ["alerts", "create"],
  args: "<name>",
  summary: "Create an alert rule and print its signing secret (shown once)",
  options: {
    kind: { type: "string", help: `<${ALERT_KINDS.join("|")}>  what fires it` },
    receiver: { type: "string", help: "<url>  where alerts are POSTed: any http(s) URL, or a Slack incoming-webhook URL with --format slack" },
    path: { type: "string", help: "<glob>  page_view (required), form_submit (optional): * matches any characters, / included" },
    segment: { type: "string", help: "<segment>  only accounts of this segment, e.g. target" },
    threshold: { type: "string", help: "<score>  score_above: the 30-day score to fire above" },
    format: { type: "string", help: `<${ALERT_FORMATS.join("|")}>  the body (default json)` },
    cooldown: { type: "string", help: "<hours>  one alert per account per cooldown (default 24)" },
  },
  details: [
    "Example: foothold alerts create \"Pricing by targets\" --kind page_view --path '/pricing*' --segment target --receiver https://hooks.slack.com/services/… --format slack",
    "Example: foothold alerts create \"Surging accounts\" --kind surging --receiver https://crm.example.com/hooks/foothold",
    "Each POST carries X-Foothold-Signature: sha256=<HMAC-SHA256 of the body with the secret>; README shows how to check it.",
  ],
  async run(ctx) {
    const name = ctx.positionals[0];
    const v = ctx.values;
    if (!name) throw new UsageError("Name the rule: foothold alerts create <name> --kind page_view --path '/pricing*' --receiver <url>.", this);
    const kindText = str(v.kind);
    if (!kindText) throw new UsageError(`Give --kind: one of ${ALERT_KINDS.join(", ")}.`, this);
    const url = str(v.receiver);
    if (!url) throw new UsageError("Give --receiver, the http(s) address alerts are POSTed to (--url is the collector's).", this);
    const kind = oneOf(kindText, ALERT_KINDS, "kind", "page_view");
    const threshold = number(str(v.threshold), "threshold", 0, 1e9);
    const cooldown = number(str(v.cooldown), "cooldown", 0, 8760);
    const rule = await ctx.client().alerts.create({
      name,
      when: { kind, ...(str(v.path) ? { path: str(v.path) } : {}), ...(str(v.segment) ? { segment: str(v.segment) } : {}), ...(threshold !== undefined ? { threshold } : {}) },
      url,
      format: oneOf(str(v.format), ALERT_FORMATS, "format", "json"),
      ...(cooldown !== undefined ? { cooldown_hours: cooldown } : {}),
    });
    ctx.out(`Created alert ${rule.name} (${rule.id}): ${whenText(rule.when)} → ${rule.url} as ${rule.format}, cooldown ${rule.cooldown_hours} h.`);
    ctx.out(`Signing secret (shown once): ${rule.secret}`);
    ctx.out(`Send a sample: foothold alerts test ${rule.id}`);
    return EXIT.ok;
  },
};

export const alertsList: Command = {
  words: ["alerts", "list"],
  summary: "List alert rules with their deliveries so far",
  options: { ...json },
  async run(ctx) {
    const { alerts } = await ctx.client().alerts.list();
    if (ctx.values.json) ctx.out(JSON.stringify({ alerts }, null, 2));
    else if (alerts.length === 0) ctx.out("No alert rules yet. Create one with: foothold alerts create <name> --kind page_view --path '/pricing*' --receiver <url>");
    else {
      ctx.out(
        formatTable(alerts, [
          { title: "Id", value: (a) => a.id },
          { title: "Name", value: (a) => a.name, max: 28 },
          { title: "When", value: (a) => whenText(a.when), max: 36 },
          { title: "Format", value: (a) => a.format },
          { title: "Receiver", value: (a) => receiverHost(a.url), max: 30 },
          { title: "Delivered", value: (a) => int(a.deliveries.delivered), align: "right" },
          { title: "Pending", value: (a) => int(a.deliveries.pending), align: "right" },
          { title: "Failed", value: (a) => int(a.deliveries.failed), align: "right" },
        ]),
      );
    }
    return EXIT.ok;
  },
};

/** The receiver's host only: a Slack webhook's path is a credential, not for a table on screen. */
const receiverHost = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

function describeDelivery(d: AlertDelivery): string {
  if (d.status === "delivered") return `delivered (HTTP ${d.last_status ?? 200})`;
  return `${d.status}: ${d.last_error ?? "no answer"}`;
}

export const alertsTest: Command = {
  words: ["alerts", "test"],
  args: "<id>",
  summary: "Send a sample alert to the rule's receiver now and say how it went",
  options: {},
  async run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw new UsageError("Give the rule's id (see foothold alerts list).", this);
    const d = await ctx.client().alerts.test(id);
    ctx.out(`Test ${d.id}: ${describeDelivery(d)}.`);
    return d.status === "delivered" ? EXIT.ok : EXIT.failed;
  },
};

export const alertsDeliveries: Command = {
  words: ["alerts", "deliveries"],
  args: "<id>",
  summary: "List a rule's deliveries, newest first: status, attempts, last error",
  options: { limit: { type: "string", short: "n", help: "<n>  rows (default 20, at most 500)" }, ...json },
  async run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw new UsageError("Give the rule's id (see foothold alerts list).", this);
    const { deliveries } = await ctx.client().alerts.deliveries(id, positiveInt(str(ctx.values.limit), "limit", 20, 500));
    if (ctx.values.json) ctx.out(JSON.stringify({ deliveries }, null, 2));
    else if (deliveries.length === 0) ctx.out(`No deliveries yet. Send a sample: foothold alerts test ${id}`);
    else {
      ctx.out(
        formatTable(deliveries, [
          { title: "Delivery", value: (d) => d.id },
          { title: "Created", value: (d) => d.created_at.slice(0, 19).replace("T", " ") },
          { title: "Account", value: (d) => (d.test ? "(test)" : (d.account ?? "")), max: 30 },
          { title: "Status", value: (d) => d.status },
          { title: "Attempts", value: (d) => int(d.attempts), align: "right" },
          { title: "Last error", value: (d) => d.last_error ?? "", max: 50 },
        ]),
      );
    }
    return EXIT.ok;
  },
};

export const alertsDelete: Command = {
  words: ["alerts", "delete"],
  args: "<id>",
  summary: "Delete an alert rule and its deliveries",
  options: {},
  async run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw new UsageError("Give the rule's id (see foothold alerts list).", this);
    await ctx.client().alerts.remove(id);
    ctx.out(`Deleted ${id}.`);
    return EXIT.ok;
  },
};
