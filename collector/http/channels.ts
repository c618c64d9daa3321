import { DEFAULT_CHANNEL_RULES } from "../ingest/enrich/channel-rules";
import { validateChannelRules, type ChannelRule } from "../ingest/enrich/channel";
import { channelRules, writeChannelRules } from "../storage/channel-rules";
import * as api from "./api/channels";
import { badRequest } from "./errors";
import { implement, type App } from "./routes";

/** Channel override rules: checked before the GA4-style defaults, in order. */
export function channelRoutes(app: App): void {
  implement(app, api.getChannelRules, async (c) => c.json({ rules: await channelRules(c.env.DB), defaults: DEFAULT_CHANNEL_RULES }, 200));
  implement(app, api.putChannelRules, async (c) => {
    const { rules } = c.req.valid("json");
    const problems = validateChannelRules(rules);
    if (problems.length) throw badRequest("invalid_rules", `${problems.slice(0, 5).join("; ")}.`);
    // validateChannelRules has checked each channel name and match field.
    const valid = rules as ChannelRule[];
    await writeChannelRules(c.env.DB, valid, new Date().toISOString());
    return c.json({ rules: valid }, 200);
  });
}
