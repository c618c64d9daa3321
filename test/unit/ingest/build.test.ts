import { describe, expect, it } from "vitest";
import { buildEvent, type RequestFacts } from "../../../collector/ingest/build";
import type { ValidEvent } from "../../../collector/ingest/validate";
import type { Site } from "../../../collector/storage/sites";

// The row ingest puts on the queue, for the identifying email of an identify or a form.
const site: Site = { id: "site_1", name: "Marketing", domains: ["example.com"], write_key: "wk_", created_at: "2026-01-01T00:00:00.000Z" };
const facts: RequestFacts = { receivedAt: Date.parse("2026-06-01T12:00:00Z"), origin: "server", cf: null, userAgent: null, channelRules: [], hashSecret: "test-hash-secret" };
const identify = (fields: Partial<ValidEvent>): ValidEvent => ({
  type: "identify", messageId: "m-1", anonymousId: "a-1", userId: null, event: null, groupId: null, previousId: null,
  timestamp: "2026-06-01T11:59:00.000Z", originalTimestamp: null, properties: {}, traits: {}, context: {}, ...fields,
});

// Known answers, computed independently:
// `printf %s jane@acme.com | openssl dgst -sha256 -hmac test-hash-secret` and `printf %s jane@acme.com | sha256sum`.
const KEYED = "36333d531acfac3dddf4ee707db72d15e5d35844a8ccde4caf1babbf134cf1f1";
const PLAIN = "7bb9e30283184c3b4bbbf2262a600be7165d7e6f50e424a611aa64394e7ecdb5";

describe("buildEvent's email columns", () => {
  it("keys email_hash with HASH_SECRET and carries the plain legacy hash beside it; the address is gone", async () => {
    const e = await buildEvent(identify({ traits: { email: " Jane@Acme.com ", plan: "pro" } }), site, facts);
    expect(e).toMatchObject({ email_hash: KEYED, legacy_email_hash: PLAIN, email_domain: "acme.com" });
    expect(JSON.parse(e.traits)).toEqual({ plan: "pro" });
    expect(JSON.stringify(e).toLowerCase()).not.toContain("jane@acme.com");
  });

  it("takes an identify's userId as its email when it is one", async () => {
    const e = await buildEvent(identify({ userId: "jane@acme.com" }), site, facts);
    expect(e).toMatchObject({ user_id: KEYED, email_hash: KEYED, legacy_email_hash: PLAIN, email_domain: "acme.com" });
  });

  it("has null hashes without an email", async () => {
    const e = await buildEvent(identify({ userId: "u-1", traits: { plan: "pro" } }), site, facts);
    expect(e).toMatchObject({ user_id: "u-1", email_hash: null, legacy_email_hash: null, email_domain: null });
  });
});
