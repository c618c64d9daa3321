import { describe, expect, it } from "vitest";
import { basic, call, createSite, waitForEvents } from "./helpers";

// SPEC §13: the leaks a new user found on the first version (issue 11) and their cousins, sent
// through every ingest path, never reach the export or the rejects; UTMs and click ids survive.

// HMAC-SHA256 of each address under the test deployment's HASH_SECRET ("test-hash-secret"),
// computed independently: `printf %s jane@acme.com | openssl dgst -sha256 -hmac test-hash-secret`.
const JANE = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";

const SIGNUP =
  "https://example.com/signup?email=jane%40acme.com&token=t0k3n-signup&utm_source=google&utm_medium=cpc&utm_campaign=q4&gclid=GCLID-1#access_token=ya29-fragment";

/** Every string a leak could leave behind, in any case. */
const LEAKS = ["jane@acme.com", "jane%40acme.com", "bob@acme.com", "eve@acme.com", "t0k3n", "ya29", "hunter2", "4242424242424242", "sk_live", "bearer-xyz"];

function expectNoLeak(what: string, value: unknown) {
  const text = JSON.stringify(value).toLowerCase();
  for (const leak of LEAKS) expect(text, `${what} leaks ${leak}`).not.toContain(leak);
}

async function rejectsWith(code: string, n: number): Promise<Array<{ code: string; payload: unknown }>> {
  let rejects: Array<{ code: string; payload: unknown }> = [];
  for (let i = 0; i < 100; i++) {
    rejects = ((await (await call("/v1/rejects?limit=100")).json()) as { rejects: typeof rejects }).rejects;
    if (rejects.filter((r) => r.code === code).length >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return rejects.filter((r) => r.code === code);
}

describe("redaction at ingest", () => {
  it("keeps emails, secrets and fragments out of the export from the tracker, the Segment API and backends", async () => {
    const site = await createSite(["example.com"]);
    const auth = { authorization: basic(site.write_key) };

    // The snippet: the signup page with a title and a referrer that carry the address.
    const tracker = {
      k: site.write_key,
      a: "visitor-1",
      e: [
        { i: "t-page", t: "page", ts: Date.now(), u: SIGNUP, r: "https://mail.acme.com/inbox?user=jane@acme.com&session_token=t0k3n-ref", ti: "Welcome, Jane@Acme.com" },
        { i: "t-track", t: "track", ts: Date.now(), u: "https://example.com/#/pricing?token=t0k3n-route", n: "Plan Chosen", p: { password: "hunter2", plan: "team" } },
      ],
    };
    expect((await call("/e", { method: "POST", token: null, headers: { "content-type": "text/plain" }, body: JSON.stringify(tracker) })).status).toBe(202);

    // The Segment API from a browser (analytics.js) and from a backend.
    const batch = [
      {
        type: "track",
        messageId: "s-track",
        event: "Signed Up",
        userId: "Jane@Acme.com",
        anonymousId: "visitor-1",
        properties: {
          password: "hunter2",
          Passwd: "hunter2",
          user: { email: "jane@acme.com", Email: "bob@acme.com", apiKey: "sk_live_123" },
          invitees: [{ EMAIL: "eve@acme.com", role: "admin" }, { contact: { e_mail: "bob@acme.com" } }],
          note: "cc bob@acme.com",
          card: { number: "4242424242424242", cvv: "123" },
          Authorization: "Bearer bearer-xyz",
          plan: "pro",
        },
      },
      {
        type: "page",
        messageId: "s-page",
        anonymousId: "visitor-2",
        properties: { url: SIGNUP, path: "/signup", search: "?email=jane%40acme.com&token=t0k3n-search&utm_source=google", title: "Jane@acme.com signs up", referrer: "https://mail.acme.com/?to=jane@acme.com" },
      },
      {
        type: "identify",
        messageId: "s-identify",
        anonymousId: "visitor-2",
        userId: "jane@acme.com",
        traits: { plan: "pro", manager: { email: "bob@acme.com" }, access_token: "t0k3n-trait" },
      },
    ];
    expect((await call("/v1/batch", { method: "POST", token: null, headers: auth, body: JSON.stringify({ batch }) })).status).toBe(200);
    // A backend call with the browser's URL in context.
    const backend = { messageId: "b-track", event: "Invoice Paid", userId: "jane@acme.com", context: { page: { url: SIGNUP } }, properties: { secret: "t0k3n-backend", amount: 10 } };
    expect((await call("/v1/track", { method: "POST", token: null, headers: auth, body: JSON.stringify(backend) })).status).toBe(200);

    const rows = await waitForEvents(site.id, 6);
    expect(rows).toHaveLength(6);
    expectNoLeak("export", rows);
    const byId = Object.fromEntries(rows.map((r) => [r.message_id, r]));

    // What survives: the page, its UTMs and click id, the plan, the hashed person.
    expect(byId["t-page"]).toMatchObject({
      url: "https://example.com/signup?utm_source=google&utm_medium=cpc&utm_campaign=q4&gclid=GCLID-1",
      path: "/signup",
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "q4",
      gclid: "GCLID-1",
      channel: "Paid Search",
      title: `Welcome, ${JANE}`,
      referrer: "https://mail.acme.com/inbox",
    });
    expect(byId["t-track"]).toMatchObject({ url: "https://example.com/#/pricing", path: "/pricing" });
    expect(JSON.parse(byId["t-track"].properties as string)).toEqual({ plan: "team" });

    expect(byId["s-track"].user_id).toBe(JANE);
    const props = JSON.parse(byId["s-track"].properties as string) as Record<string, unknown>;
    expect(props.plan).toBe("pro");
    expect(props).not.toHaveProperty("password");
    expect(props).not.toHaveProperty("card");
    expect((props.user as Record<string, unknown>).email).toBe(JANE);
    expect(byId["s-page"]).toMatchObject({ path: "/signup", utm_source: "google", gclid: "GCLID-1", title: `${JANE} signs up` });
    expect(JSON.parse(byId["s-page"].properties as string)).toMatchObject({ search: "?utm_source=google" });

    // An email as userId identifies the person under the same keyed hash.
    expect(byId["s-identify"]).toMatchObject({ user_id: JANE, email_hash: JANE, email_domain: "acme.com" });
    expect(JSON.parse(byId["s-identify"].traits as string)).toMatchObject({ plan: "pro" });
    expect(byId["b-track"]).toMatchObject({ user_id: JANE, gclid: "GCLID-1" });
  });

  it("keeps refused events scrubbed the same way", async () => {
    const site = await createSite(["example.com"]);
    const bad = [
      { type: "track", event: "Bad Time", messageId: "r-1", anonymousId: "x", timestamp: "not a time", userId: "jane@acme.com", properties: { password: "hunter2", items: [{ Email: "bob@acme.com" }] }, context: { page: { url: SIGNUP } } },
      { type: "nonsense", token: "t0k3n-top", note: "eve@acme.com" },
    ];
    expect((await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch: bad }) })).status).toBe(400);
    const [timestamp] = await rejectsWith("invalid_timestamp", 1);
    const [type] = await rejectsWith("invalid_type", 1);
    expectNoLeak("rejects", [timestamp, type]);
    expect(timestamp.payload).toMatchObject({ userId: JANE, properties: { items: [{}] }, context: { page: { url: "https://example.com/signup?utm_source=google&utm_medium=cpc&utm_campaign=q4&gclid=GCLID-1" } } });
    expect((timestamp.payload as { properties: { items: Record<string, unknown>[] } }).properties.items[0].Email).toMatch(/^[0-9a-f]{64}$/);
    expect(type.payload).toMatchObject({ type: "nonsense" });
  });
});
