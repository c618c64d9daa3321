import { env } from "cloudflare:workers";
import { it } from "vitest";
import { basic, call, createSite } from "./helpers";
it("debug", async () => {
  const site = await createSite(["example.com"]);
  const imp = await call("/v1/accounts", { method: "PUT", body: JSON.stringify([{ domain: "acme.com", name: "Acme", segment: "target", crm_id: "crm-1", asns: [64500] }]) });
  console.log("import", imp.status, await imp.text());
  const at = new Date(Date.now() - 86400000).toISOString();
  const r = await call("/v1/batch", { method: "POST", token: null, cf: { asn: 64500, asOrganization: "ACME" }, body: JSON.stringify({ batch: [{ type: "page", messageId: "x1", anonymousId: "a", timestamp: at, properties: { url: "https://example.com/" } }, { type: "identify", messageId: "x2", anonymousId: "a", timestamp: at, traits: { email: "Alice@Acme.com" } }] }), headers: { authorization: basic(site.write_key), origin: "https://example.com", "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" } });
  console.log("ingest", r.status, await r.text());
  await new Promise((r) => setTimeout(r, 3000));
  console.log(JSON.stringify((await (env as any).DB.prepare("SELECT count(*) n FROM events").all()).results));
  console.log(JSON.stringify((await (env as any).DB.prepare("SELECT * FROM visitor_identities").all()).results));
  console.log(JSON.stringify((await (env as any).DB.prepare("SELECT * FROM account_days").all()).results));
});
