import { describe, expect, it } from "vitest";
import { basic, call, createSite, exportAll, waitForEvents } from "./helpers";

// The erasure routes as a client meets them, with the Worker's own queue doing the work.

async function erase(body: unknown, token?: string): Promise<Response> {
  return call("/v1/privacy/erase", { method: "POST", body: JSON.stringify(body), token });
}

async function untilDone(id: string, token?: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const r = await call(`/v1/privacy/erasures/${id}`, { token });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    if (body.status === "done") return body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`erasure ${id} not done`);
}

describe("POST /v1/privacy/erase", () => {
  it("refuses anything but exactly one of email, user_id, anonymous_id", async () => {
    const shape = "The body must be one of {email}, {user_id} or {anonymous_id}, with one string.";
    for (const body of [{}, { email: "dana@example.org", user_id: "u-1" }, { email: 42 }, { phone: "123" }]) {
      const r = await erase(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(await r.json()).toEqual({ error: { code: "invalid_body", message: shape } });
    }
    const r = await erase({ email: "not an address" });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: { code: "invalid_email", message: "`email` must be an email address, e.g. jane@acme.com." } });
  });

  it("needs the admin scope", async () => {
    const key = (await (await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "bi", scopes: ["read", "export"] }) })).json()) as { key: string };
    expect((await erase({ email: "dana@example.org" }, key.key)).status).toBe(403);
    expect((await call("/v1/privacy/erasures", { token: key.key })).status).toBe(403);
    expect((await call("/v1/privacy/erasures", { token: null })).status).toBe(401);
  });

  it("answers 404 for an id it does not know", async () => {
    const r = await call("/v1/privacy/erasures/era_nope");
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: "not_found", message: "No erasure has that id." } });
  });

  it("erases a person sent through the Segment API, logs the key that asked, and lists it", async () => {
    const site = await createSite(["example.com"], "Privacy");
    const batch = [
      { type: "page", messageId: "dana-1", anonymousId: "dana-browser", properties: { url: "https://example.com/pricing" } },
      { type: "identify", messageId: "dana-2", anonymousId: "dana-browser", traits: { email: "dana@globex.com" } },
      { type: "page", messageId: "eve-1", anonymousId: "eve-browser", properties: { url: "https://example.com/" } },
    ];
    const sent = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch }) });
    expect(sent.status).toBe(200);
    expect(await waitForEvents(site.id, 3)).toHaveLength(3);

    const admin = (await (await call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "dpo", scopes: ["admin"] }) })).json()) as { id: string; key: string };
    const r = await erase({ email: "DANA@globex.com" }, admin.key);
    expect(r.status).toBe(202);
    const { id, status } = (await r.json()) as { id: string; status: string };
    expect(status).toBe("running");
    const done = await untilDone(id, admin.key);
    // Her page and identify in one raw object; her browser, its session, her person.
    expect(done).toMatchObject({ status: "done", by: "email", requested_by: admin.id, events: 2, files: { raw: 1, parquet: 0, dead_letters: 0 }, visitors: 1, people: 1, sessions: 1 });
    expect((await exportAll()).filter((e) => e.site_id === site.id).map((e) => e.message_id)).toEqual(["eve-1"]);

    const log = (await (await call("/v1/privacy/erasures")).json()) as { erasures: { id: string }[]; next_before: string | null };
    expect(log.erasures.map((e) => e.id)).toContain(id);
    expect(JSON.stringify(log)).not.toContain("dana");
  });
});
