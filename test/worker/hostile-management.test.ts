import { describe, expect, it } from "vitest";
import { call } from "./helpers";

// Odd but well-formed requests to the management API: a clear 4xx (or a row-level reason),
// never a 5xx.
describe("management API under odd input", () => {
  it("answers every odd request with a 4xx JSON error or a row-level reason", async () => {
    const objectThatThrowsOnString = { toString: 1 };
    const cases: [string, Promise<Response>, number][] = [
      ["rejects limit=0", call("/v1/rejects?limit=0"), 400],
      ["export limit=0", call("/v1/export/events?limit=0"), 400],
      ["accounts limit=0", call("/v1/accounts?limit=0"), 400],
      ["percent in a domain", call("/v1/accounts/100%25"), 400],
      ["broken escape in a domain", call("/v1/accounts/%E0%A4%A/timeline"), 400],
      ["object as a site domain", call("/v1/sites", { method: "POST", body: JSON.stringify({ name: "x", domains: [objectThatThrowsOnString] }) }), 400],
      ["huge since", call("/v1/export/events?since=99999999999999999999"), 400],
      ["settings as an array", call("/v1/settings/channels", { method: "PUT", body: "[]" }), 400],
    ];
    for (const [name, response, status] of cases) {
      const r = await response;
      expect(r.status, name).toBe(status);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.message.length, name).toBeGreaterThan(10);
    }

    // Bodies the route's schema reads: each refusal says what is wrong, in the one error shape.
    const site = (body: string, headers: Record<string, string> = {}) => call("/v1/sites", { method: "POST", body, headers });
    const refusals: [string, Promise<Response>, number, { code: string; message: string }][] = [
      ["not JSON", site("{name:"), 400, { code: "malformed_json", message: "The body is not valid JSON." }],
      ["form-encoded", site("name=x", { "content-type": "application/x-www-form-urlencoded" }), 415, { code: "unsupported_media_type", message: "Send the body as application/json (Content-Type: application/json)." }],
      ["too large", site(JSON.stringify({ name: "x".repeat(70_000), domains: ["example.com"] })), 413, { code: "request_too_large", message: "A request may be at most 64 KB." }],
      ["unknown field", site(JSON.stringify({ name: "x", domains: ["example.com"], colour: "red" })), 400, { code: "invalid_body", message: "Unknown field `colour`; this route takes name, domains." }],
      ["no domains", site(JSON.stringify({ name: "x", domains: [] })), 400, { code: "invalid_body", message: "`domains` must list at least 1." }],
      ["a number as a domain", site(JSON.stringify({ name: "x", domains: ["example.com", 7] })), 400, { code: "invalid_body", message: "`domains[1]` must be a string." }],
      ["a scope that is none", call("/v1/keys", { method: "POST", body: JSON.stringify({ name: "x", scopes: ["root"] }) }), 400, { code: "invalid_body", message: "`scopes[0]` must be one of read, import, export, admin." }],
      ["an array for an object", call("/v1/settings/engagement", { method: "PUT", body: "[]" }), 400, { code: "invalid_body", message: "The body must be an object." }],
    ];
    for (const [name, response, status, error] of refusals) {
      const r = await response;
      expect(r.status, name).toBe(status);
      expect(await r.json(), name).toEqual({ error });
    }

    const rows = await call("/v1/accounts", {
      method: "PUT",
      body: JSON.stringify([{ domain: "acme.com", domains: [objectThatThrowsOnString], asns: [objectThatThrowsOnString] }]),
    });
    expect(rows.status).toBe(200);
    const answer = (await rows.json()) as { invalid: number; errors: { row: number; reason: string }[] };
    expect(answer.invalid).toBe(1);
    expect(answer.errors[0].reason).toContain('{\\"toString\\":1}');
  });
});
