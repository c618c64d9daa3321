import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// Starts the real collector with `wrangler dev` (workerd, local D1/Queues/R2) on a free port,
// with a fresh state directory per call, the migrations applied as `npm run dev` does.

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");

export interface Collector {
  url: string;
  adminToken: string;
  /** the local D1/R2/queue state (`--persist-to`), for `wrangler d1 execute` / `wrangler r2 object get --local`; fakes have none */
  persist?: string;
  stop(): Promise<void>;
  /** start again on the same port and state (a "restart") */
  restart(): Promise<void>;
  api(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
  createSite(name: string, domains: string[]): Promise<{ id: string; write_key: string }>;
  /** every stored event via /v1/export/events, once there are at least `expect` (default: now) */
  exportEvents(opts?: { expect?: number; timeoutMs?: number }): Promise<Array<Record<string, unknown>>>;
  /**
   * Every stored event, once the consumer has handled everything answered so far: sends one
   * marker event and waits until the consumer has stored it. The local queue hands messages to
   * its one consumer in the order they were sent, so every earlier event has then been stored
   * or dropped as a copy. Markers belong to a site of their own, left out of every answer here.
   */
  settled(opts?: { timeoutMs?: number }): Promise<Array<Record<string, unknown>>>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The deployment secret every email hash is keyed with (SPEC §13), known to tests that check a hash. */
export const E2E_HASH_SECRET = "e2e-hash-secret";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCollector(opts: { vars?: Record<string, string>; args?: string[]; prepare?: (persist: string) => void } = {}): Promise<Collector> {
  const persist = mkdtempSync(path.join(tmpdir(), "foothold-e2e-"));
  // e.g. a database built by an earlier version, before this version's migrations run.
  opts.prepare?.(persist);
  const adminToken = "e2e-admin-token";
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PATH: `${BIN}:${process.env.PATH}`, WRANGLER_SEND_METRICS: "false", CI: "true" };

  const migrate = spawnSync(path.join(BIN, "wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}${migrate.stdout}`);

  let child: ChildProcess | null = null;
  let log = "";
  const vars = Object.entries({ ADMIN_TOKEN: adminToken, HASH_SECRET: E2E_HASH_SECRET, ...opts.vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);

  async function start() {
    log = "";
    child = spawn(
      path.join(BIN, "wrangler"),
      ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--inspector-port", "0", "--show-interactive-dev-session=false", ...vars, ...(opts.args ?? [])],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (d) => (log += d));
    child.stderr?.on("data", (d) => (log += d));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${log}`);
      try {
        const r = await fetch(`${url}/`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      await sleep(200);
    }
    throw new Error(`wrangler dev did not start within 60 s: ${log}`);
  }

  async function stop() {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }

  await start();

  const api: Collector["api"] = (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${init.token ?? adminToken}`);
    return fetch(`${url}${pathname}`, { ...init, headers });
  };

  async function createSite(name: string, domains: string[]) {
    const r = await api("/v1/sites", { method: "POST", body: JSON.stringify({ name, domains }), headers: { "content-type": "application/json" } });
    if (r.status !== 201) throw new Error(`createSite: ${r.status} ${await r.text()}`);
    return (await r.json()) as { id: string; write_key: string };
  }
  let markers: { id: string; write_key: string } | undefined;

  /** Every stored event, markers included. */
  async function allRows(): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    let cursor = "0";
    for (;;) {
      const r = await api(`/v1/export/events?since=${cursor}&limit=10000`);
      if (!r.ok) throw new Error(`export: ${r.status} ${await r.text()}`);
      const lines = (await r.text()).split("\n").filter(Boolean);
      rows.push(...lines.map((l) => JSON.parse(l) as Record<string, unknown>));
      const next = r.headers.get("x-next-cursor") ?? cursor;
      if (lines.length === 0 || next === cursor) return rows;
      cursor = next;
    }
  }

  const exportEvents: Collector["exportEvents"] = async ({ expect = 0, timeoutMs = 30_000 } = {}) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = (await allRows()).filter((row) => row.site_id !== markers?.id);
      if (rows.length >= expect || Date.now() > deadline) return rows;
      await sleep(250);
    }
  };

  return {
    url,
    adminToken,
    persist,
    api,
    async stop() {
      await stop();
      rmSync(persist, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await start();
    },
    createSite,
    exportEvents,
    async settled({ timeoutMs = 60_000 } = {}) {
      markers ??= await createSite("Harness markers", ["example.com"]);
      const messageId = `settle-${crypto.randomUUID()}`;
      const r = await fetch(`${url}/v1/batch`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${markers.write_key}:`)}`, "content-type": "application/json" },
        body: JSON.stringify({ batch: [{ type: "track", event: "settle", messageId, anonymousId: "harness" }] }),
      });
      if (r.status !== 200) throw new Error(`settle marker: ${r.status} ${await r.text()}`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await allRows();
        if (rows.some((row) => row.message_id === messageId)) return rows.filter((row) => row.site_id !== markers!.id);
        if (Date.now() > deadline) throw new Error(`the consumer did not store the marker within ${timeoutMs / 1000} s`);
        await sleep(250);
      }
    },
  };
}
