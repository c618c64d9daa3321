import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The README's second command, as a newcomer runs it: `npm run dev -- <wrangler dev args>`.
const ROOT = path.resolve(import.meta.dirname, "../..");
const state = mkdtempSync(path.join(tmpdir(), "foothold-dev-"));
let child: ReturnType<typeof spawn> | null = null;

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    // The whole process group: npm → scripts/dev.mjs → wrangler → workerd.
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }
  rmSync(state, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe("npm run dev", () => {
  it("migrates the local database and serves the API, with wrangler dev arguments passed through", async () => {
    const port = await freePort();
    // npm sets npm_execpath when it runs the tests; run the same npm.
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
    child = spawn(npm[0], [...npm.slice(1), "run", "dev", "--", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--inspector-port", "0", "--var", "ADMIN_TOKEN:s3cret"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      stdio: "ignore",
      detached: true,
    });
    let doc: Response | null = null;
    for (let i = 0; i < 300 && !doc; i++) {
      doc = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`).catch(() => null);
      if (!doc) await new Promise((r) => setTimeout(r, 200));
    }
    expect(doc?.status).toBe(200);
    expect(((await doc!.json()) as { openapi: string }).openapi).toBe("3.1.0");
    // The --var reached the Worker, and the migrations ran: an admin call reads D1.
    const sites = await fetch(`http://127.0.0.1:${port}/v1/sites`, { headers: { authorization: "Bearer s3cret" } });
    expect(sites.status).toBe(200);
    expect(await sites.json()).toEqual({ sites: [] });
    expect((await fetch(`http://127.0.0.1:${port}/v1/sites`, { headers: { authorization: "Bearer dev-admin-token" } })).status).toBe(401);
  });
});
