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
