import { describe, expect, it } from "vitest";
import { call } from "./helpers";

describe("management auth", () => {
  const protectedRoutes: [string, string][] = [
    ["GET", "/v1/sites"],
    ["POST", "/v1/sites"],
    ["POST", "/v1/keys"],
    ["DELETE", "/v1/keys/key_x"],
    ["GET", "/v1/rejects"],
    ["GET", "/v1/export/events"],
    ["POST", "/v1/dead-letters/replay"],
  ];

  it("answers 401 without a token or with a wrong one", async () => {
    for (const [method, path] of protectedRoutes) {
      const none = await call(path, { method, token: null });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      const wrong = await call(path, { method, token: "fh_wrong" });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
  });

  it("answers 403 for a key without the scope, and lets a scoped key through", async () => {
    const created = await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "reader", scopes: ["read"] }) });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(key).toMatch(/^fh_/);

    expect((await call("/v1/coverage?segment=target", { token: key })).status).toBe(200);
    // Rejects hold what was sent, as sent (redacted): admin only (SPEC §4).
    expect((await call("/v1/rejects", { token: key })).status).toBe(403);
    const forbidden = await call("/v1/export/events", { token: key });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { message: string } }).error.message).toContain("export");
    expect((await call("/v1/sites", { token: key })).status).toBe(403);

    // The key is stored hashed: the listing never shows it.
    const listing = await (await call("/v1/keys")).text();
    expect(listing).toContain(id);
    expect(listing).not.toContain(key);

    expect((await call(`/v1/keys/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call("/v1/coverage?segment=target", { token: key })).status).toBe(401);
    expect((await call(`/v1/keys/${id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("validates site input and returns the write key once created", async () => {
    const bad = await call("/v1/sites", { method: "POST", body: JSON.stringify({ name: "x", domains: ["not a domain"] }) });
    expect(bad.status).toBe(400);
    const ok = await call("/v1/sites", { method: "POST", body: JSON.stringify({ name: "Docs", domains: ["https://www.Example.com/", "docs.example.com"] }) });
    expect(ok.status).toBe(201);
    const site = (await ok.json()) as { id: string; domains: string[]; write_key: string };
    expect(site.domains).toEqual(["example.com", "docs.example.com"]);
    expect(site.write_key).toMatch(/^wk_/);
  });

  it("serves the OpenAPI document without auth, generated from the routes", async () => {
    const r = await call("/v1/openapi.json", { token: null });
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, { security: unknown[] }>> };
    expect(doc.openapi).toBe("3.1.0");
    for (const p of ["/v1/batch", "/v1/track", "/e", "/v1/sites", "/v1/keys/{id}", "/v1/export/events", "/v1/rejects"]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths["/v1/export/events"].get.security).toEqual([{ bearer: ["export"] }]);
  });
});
