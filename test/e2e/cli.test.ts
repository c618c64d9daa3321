import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../cli/build.mjs";
import { runCli } from "./cli-runner";
import { seedScenario } from "./dashboard-scenario";
import { startCollector, type Collector } from "./harness";

// The real `foothold` binary (dist/cli.mjs, built from cli/ first) against the collector in
// wrangler dev: what an operator types, what they read, and the exit codes scripts rely on.

let collector: Collector;
let cli: string;
let dir: string;

beforeAll(async () => {
  cli = await buildCli();
  collector = await startCollector();
  dir = mkdtempSync(path.join(tmpdir(), "foothold-cli-"));
});
afterAll(async () => {
  await collector?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const foothold = (args: string[], env: Record<string, string> = {}) => runCli(cli, args, env);

const asAdmin = () => ({ FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: collector.adminToken });

describe("foothold CLI", () => {
  it("prints the collector's status and changes retention", async () => {
    const status = await foothold(["status"], asAdmin());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^D1: +\d+\.\d MB of 10 GB/m);
    expect(status.stdout).toMatch(/^Last export: +never$/m);
    const set = await foothold(["retention", "--dedupe-days", "40"], asAdmin());
    expect(set.stdout.trim()).toBe("Dedupe keys 40 days, raw events 761 days, rollups 761 days.");
    const refused = await foothold(["retention", "--dedupe-days", "3"], asAdmin());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("dedupe_days");
  });

  it("imports accounts from CSV in chunks, names the bad row, and exits 3", async () => {
    const csv = path.join(dir, "targets.csv");
    writeFileSync(csv, ["domain,name,crm_id,segment,domains,asns", "acme.com,Acme,CRM-1,target,acme.co.uk;acme.io,", "globex.com,Globex,CRM-2,target,,", "not a domain,Broken Co,,target,,", "initech.com,Initech,,customer,,", "hooli.com,Hooli,,target,,AS13335"].join("\n"));
    // --chunk 2: rows 1–2, 3–4, 5 go in three requests; the bad row is row 1 of the second.
    const r = await foothold(["import", "accounts", csv, "--chunk", "2"], asAdmin());
    expect(r.stdout).toContain(`Imported accounts from ${csv}: 4 created, 0 updated, 1 refused.`);
    expect(r.stdout).toMatch(/row 3 \(domain: not a domain\): .*domain/);
    expect(r.stderr).toContain("100% 5/5 rows");
    expect(r.code).toBe(3);
  });

  it("prints the top accounts as a table", async () => {
    await seedScenario(collector);
    const r = await foothold(["accounts", "--limit", "2"], asAdmin());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[1]).toMatch(/^Account\s+Domain\s+Segment\s+Score\s+Visitors/);
    // Acme first (score 20.2: see dashboard-scenario.ts), then a next-page hint with the cursor.
    expect(lines[3]).toMatch(/^Acme\s+acme\.com\s+target\s+20\.2\s+2\s+2\s+4\s+7\s+1\s+0m\s+yes$/);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toMatch(/^More: foothold accounts --cursor \S+$/);
  });

  it("prints revenue per visitor under a chosen model", async () => {
    const r = await foothold(["revenue", "--model", "first_touch", "--window", "90d", "--url", collector.url, "--token", collector.adminToken]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Paid Search\s+1\s+1\s+12,000\.00 USD\s+12,000\.00 USD/);
    expect(r.stdout).toMatch(/Total\s+4\s+6\s+15,000\.00 USD\s+3,750\.00 USD/);
  });

  it("prints pipeline by channel: Acme's deal to its first touch before creation, Globex's unattributed", async () => {
    // D-1 (Acme, created day −8) → a1's day −20 Paid Search; D-2 (Globex, created day −6): g1's
    // only visit (day −5) came after it, so it is in the total only.
    const r = await foothold(["pipeline", "--window", "30d"], asAdmin());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Paid Search\s+1\s+12,000\.00 USD\s+1\s+12,000\.00 USD/);
    expect(r.stdout).toMatch(/Total\s+2\s+15,000\.00 USD\s+2\s+15,000\.00 USD/);
    expect(r.stdout).toContain("1 deal (3,000.00 USD) had no visit before creation (in the total only).");
    const json = JSON.parse((await foothold(["pipeline", "--model", "linear", "--json"], asAdmin())).stdout);
    // linear: D-1 over a1's two sessions before day −8 (Paid day −20, Organic day −10): 6,000 each
    expect(json.rows.map((x: { key: string; pipeline: number }) => [x.key, x.pipeline])).toEqual([["Organic Search", 6_000], ["Paid Search", 6_000], ["total", 15_000]]);
  });

  it("prints the funnel with rates and median days", async () => {
    // 30 days: visitors a1 a2 g1 i1; leads alice bob carol dan; deals D-1 D-2; first wins Acme, Globex.
    // Days: leads alice 10.0007, bob/carol/dan 0.0007 → 0.0; deals: Acme (alice day −10 10:01 → day −8) 1.58,
    // Globex's lead came after its deal (left out) → 1.6; customers Acme 7, Globex 4 → 5.5.
    const r = await foothold(["funnel"], asAdmin());
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^visitors\s+4$/));
    expect(lines).toContainEqual(expect.stringMatching(/^leads\s+4\s+100\.0%\s+0\.0 d$/));
    expect(lines).toContainEqual(expect.stringMatching(/^opportunities\s+2\s+50\.0%\s+1\.6 d$/));
    expect(lines).toContainEqual(expect.stringMatching(/^customers\s+2\s+100\.0%\s+5\.5 d$/));
  });

  it("plans backwards: the annual-plan example, and with the measured rates", async () => {
    const r = await foothold(["plan", "--revenue", "10000000", "--per", "year", "--deal-size", "1100000", "--stages", "visits,leads,mqls,sqls,opportunities,customers", "--rates", "1.5%,20%,20%,40%,50%"], asAdmin());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("To win 10,000,000 a year in deals of 1,100,000 (rates as given):");
    expect(r.stdout).toMatch(/visits\s+75,758\s+6,313/);
    expect(r.stdout).toMatch(/customers\s+50\.0%\s+9\.09\s+0\.758/);
    // Measured over 365 days: 4 visitors, 4 leads, 2 deals, 2 customers → 100%, 50%, 100%:
    // 9.09 customers ← 9.09 opportunities ← 18.2 leads ← 18.2 visitors (1.52 a month).
    const measured = await foothold(["plan", "--revenue", "10000000", "--per", "year", "--deal-size", "1100000"], asAdmin());
    expect(measured.code, measured.stderr).toBe(0);
    expect(measured.stdout).toMatch(/rates measured \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    expect(measured.stdout).toMatch(/visitors\s+18\.2\s+1\.52/);
    const bad = await foothold(["plan", "--revenue", "ten million", "--deal-size", "1100000"], asAdmin());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--revenue must be a number above 0");
  });

  it("prints customers this quarter against last", async () => {
    const r = await foothold(["customers"], asAdmin());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Period\s+Customers\s+New\s+Won revenue\s+New business\s+Expansion\s+Per customer/);
    // Both wins (days −1 and −2) are Acme's and Globex's first: new business, in this quarter or the last.
    const json = JSON.parse((await foothold(["customers", "--json"], asAdmin())).stdout);
    expect(json.current.customers).toBe(2);
    expect(json.current.new_customers + json.previous.new_customers).toBe(2);
    expect(json.current.new_business_revenue + json.previous.new_business_revenue).toBe(15_000);
    expect(json.current.expansion_revenue + json.previous.expansion_revenue).toBe(0);
  });

  it("creates a site and a key, and the new read key can list accounts but not create sites", async () => {
    const site = await foothold(["sites", "create", "Docs", "--domain", "docs.example.com"], asAdmin());
    expect(site.code).toBe(0);
    expect(site.stdout).toMatch(/<script defer src="http:\/\/127\.0\.0\.1:\d+\/s\.js" data-key="wk_\S+"><\/script>/);
    const key = await foothold(["keys", "create", "ci", "--scope", "read"], asAdmin());
    const secret = /Key \(shown once\): (\S+)/.exec(key.stdout)?.[1];
    expect(secret).toMatch(/^fh_/);
    const env = { FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: secret! };
    expect((await foothold(["accounts"], env)).code).toBe(0);
    const denied = await foothold(["sites", "create", "X", "--domain", "x.com"], env);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("lacks the `admin` scope");
  });

  it("downloads the warehouse files after an export run, and skips them the second time", async () => {
    const run = await collector.api("/v1/export/run", { method: "POST" });
    expect(run.status).toBe(200);
    const out = path.join(dir, "warehouse");
    const first = await foothold(["export", "download", "--out", out], asAdmin());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^[1-9]\d* files? downloaded, 0 already present/);
    const parts = readdirSync(path.join(out, "events"), { recursive: true }).map(String).filter((f) => f.endsWith(".parquet"));
    expect(parts.length).toBeGreaterThan(0);
    const second = await foothold(["export", "download", "--out", out], asAdmin());
    expect(second.stdout).toMatch(new RegExp(`^0 files downloaded, ${parts.length} already present`));
  });

  it("says what is wrong, with exit codes: a wrong token 1, a bad flag or no token 2", async () => {
    const wrong = await foothold(["accounts"], { FOOTHOLD_URL: collector.url, FOOTHOLD_TOKEN: "fh_wrong" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("error: The API key is not valid or was revoked.");
    expect(wrong.stderr).toContain("Check the token");
    const noToken = await foothold(["accounts"], { FOOTHOLD_URL: collector.url });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("No token: pass --token or set FOOTHOLD_TOKEN");
    const badModel = await foothold(["revenue", "--model", "magic"], asAdmin());
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toContain("--model must be one of first_touch, last_touch, linear");
    const help = await foothold(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("import accounts <file.csv>");
  });
});
