import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCollector, type Collector } from "./harness";

// CSV imports through the real runtime: workerd refuses code generation from strings, which
// the workerd test pool allows, so this runs against `wrangler dev`.

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector?.stop();
});

const put = (path: string, csv: string) =>
  collector.api(path, { method: "PUT", body: csv, headers: { "content-type": "text/csv" } });

describe("CSV imports", () => {
  it("imports accounts and deals from CSV, naming the bad rows", async () => {
    const accounts = await put(
      "/v1/accounts",
      "domain,name,crm_id,segment,domains,asns\nacme.com,Acme,CRM-1,target,acme.io;acme.co.uk,64500\nnot a domain,Broken,,,,\n\uFEFF\nglobex.com,Globex,CRM-2,customer,,\n",
    );
    expect(accounts.status).toBe(200);
    const a = (await accounts.json()) as { created: number; invalid: number; errors: { row: number; reason: string }[] };
    expect(a.created).toBe(2);
    expect(a.invalid).toBe(1);
    expect(a.errors[0].row).toBe(2);

    const deals = await put(
      "/v1/deals",
      "id,account,amount,currency,stage,created_at,closed_at,won\nD-1,acme.io,12000,USD,won,2026-10-01,2026-11-01,true\nD-2,CRM-2,oops,USD,won,2026-10-01,2026-11-01,true\n",
    );
    expect(deals.status).toBe(200);
    const d = (await deals.json()) as { created: number; invalid: number; errors: { row: number; reason: string }[] };
    expect(d.created).toBe(1);
    expect(d.invalid).toBe(1);
    expect(d.errors[0]).toMatchObject({ row: 2 });
    expect(d.errors[0].reason).toMatch(/amount/);
  });
});
