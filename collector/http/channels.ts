import { DEFAULT_CHANNEL_RULES } from "../ingest/enrich/channel-rules";
import { validateChannelRules, type ChannelRule } from "../ingest/enrich/channel";
import { channelRules, writeChannelRules } from "../storage/channel-rules";
import { readJson } from "./body";
import { badRequest } from "./errors";
import { route, type App } from "./routes";

const MAX_RULES = 50;
const MAX_PATTERN = 200;

/** Channel override rules: checked before the GA4-style defaults, in order. */
export function channelRoutes(app: App): void {
  route(
    app,
    {
      method: "get", path: "/v1/settings/channels", summary: "Channel override rules in effect, and the default rules after them", auth: "admin", tag: "management",
      responses: { 200: "{ rules: [{ channel, match }], defaults: [...] }" },
    },
    async (c) => c.json({ rules: await channelRules(c.env.DB), defaults: DEFAULT_CHANNEL_RULES }),
  );
  route(
    app,
    {
      method: "put", path: "/v1/settings/channels", summary: "Replace the channel override rules (applies to events received from then on)", auth: "admin", tag: "management",
      body: { contentTypes: ["application/json"], description: "{ rules: [{ channel: \"Paid Social\", match: { utm_source: \"^partnerx$\" } }] } — each match value a case-insensitive regular expression" },
      responses: { 200: "{ rules }", 400: "Invalid rules, each problem named" },
    },
    async (c) => {
      const body = (await readJson(c, 64 * 1024)) as { rules?: unknown };
      const rules = body && typeof body === "object" ? body.rules : undefined;
      const problems = validateChannelRules(rules);
      if (problems.length === 0 && (rules as ChannelRule[]).length > MAX_RULES) problems.push(`at most ${MAX_RULES} rules`);
      for (const [i, r] of ((Array.isArray(rules) ? rules : []) as ChannelRule[]).entries()) {
        for (const [field, pattern] of Object.entries(r?.match ?? {})) {
          if (typeof pattern === "string" && pattern.length > MAX_PATTERN) problems.push(`rule ${i}: ${field} is longer than ${MAX_PATTERN} characters`);
        }
      }
      if (problems.length) throw badRequest("invalid_rules", `${problems.slice(0, 5).join("; ")}.`);
      await writeChannelRules(c.env.DB, rules as ChannelRule[], new Date().toISOString());
      return c.json({ rules });
    },
  );
}
