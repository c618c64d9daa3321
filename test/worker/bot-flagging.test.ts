import { describe, expect, it } from "vitest";
import { basic, call, createSite, waitForEvents } from "./helpers";

// A crawler sent through the Segment API (a backend relaying page views with context.userAgent):
// kept and flagged with its reason, never counted as a visitor (SPEC §3).

const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("bots through /v1/batch", () => {
  it("flags a crawler user agent's events with the reason, and leaves it out of the visitors", async () => {
    const site = await createSite();
    const at = (min: number) => new Date(Date.now() - (10 - min) * 60_000).toISOString();
    const page = (id: string, anonymousId: string, userAgent: string, min: number, path: string) => ({
      type: "page", messageId: id, anonymousId, timestamp: at(min),
      properties: { url: `https://example.com${path}`, path }, context: { userAgent },
    });
    const batch = [
      page("bot-1", "crawler", GOOGLEBOT, 0, "/"),
      page("bot-2", "crawler", GOOGLEBOT, 1, "/pricing"),
      page("human-1", "person", CHROME, 2, "/pricing"),
      { type: "track", event: "Signed Up", messageId: "bot-3", anonymousId: "crawler", timestamp: at(3), properties: {}, context: { userAgent: GOOGLEBOT } },
    ];
    const r = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    expect(r.status).toBe(200);

    const rows = await waitForEvents(site.id, 4);
    const verdicts = Object.fromEntries(rows.map((e) => [e.message_id, [e.is_bot, e.bot_reason]]));
    expect(verdicts).toEqual({
      "bot-1": [true, "user-agent"],
      "bot-2": [true, "user-agent"],
      "bot-3": [true, "user-agent"],
      "human-1": [false, null],
    });
    // The crawler's three events are one session, and a bot session is no visitor: of the two
    // anonymous ids only the person counts, with one session.
    const report = (await (await call("/v1/revenue?by=channel&model=linear&window=7d")).json()) as { total: { visitors: number; sessions: number } };
    expect(report.total).toMatchObject({ visitors: 1, sessions: 1 });
  });
});
