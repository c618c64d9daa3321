import { it } from "vitest";
import { enrichClient } from "../../collector/ingest/enrich/client";
import { UAParser } from "ua-parser-js";
import { isbot } from "isbot";
it("debug", async () => {
  console.log(JSON.stringify(enrichClient({ cf: null, userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" })));
  try { console.log(JSON.stringify(new UAParser("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36").getResult())); } catch (e) { console.log("ERR", String(e)); }
  try { console.log(isbot("Googlebot/2.1")); } catch (e) { console.log("ERR2", String(e)); }
});
