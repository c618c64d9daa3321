import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { basic, call, createSite, waitForEvents } from "./helpers";
import { JANE_HASH, JANE_SHA256 } from "./privacy-fixtures";

// A deployment upgraded from the version that keyed people by the plain SHA-256 of their email:
// the next time the address is seen, the person moves to its keyed hash (SPEC §13) — one person,
// the same account, the timeline's moments renamed — instead of splitting in two.

const d1 = env.DB;

async function seedFirstVersionPerson(): Promise<void> {
  const at = "2026-11-10T09:00:00.000Z";
  await d1.batch([
    d1.prepare("INSERT INTO accounts (id, domain, name, source, created_at, updated_at) VALUES (777, 'acme.com', 'Acme', 'import', ?1, ?1)").bind(at),
    d1.prepare("INSERT INTO account_domains (domain, account_id) VALUES ('acme.com', 777)"),
    // As the first version stored her: the person under sha256(email), her laptop resolved to Acme by it.
    d1.prepare("INSERT INTO people (id, email_domain, first_seen, last_seen) VALUES (?1, 'acme.com', ?2, ?2)").bind(JANE_SHA256, at),
    d1
      .prepare(
        `INSERT INTO visitor_identities (anonymous_id, site_id, person_id, account_id, method, confidence, resolved_at, first_seen, last_seen)
         VALUES ('old-laptop', 'site_old', ?1, 777, 'email', 0.9, ?2, ?2, ?2)`,
      )
      .bind(JANE_SHA256, at),
    d1
      .prepare("INSERT INTO visitor_moments (anonymous_id, at, kind, detail) VALUES ('old-laptop', ?1, 'identify', ?2)")
      .bind(at, JSON.stringify({ person_id: JANE_SHA256, email_domain: "acme.com", user_id: null, path: "/signup" })),
  ]);
}

describe("people first stored under the plain SHA-256", () => {
  it("are the same person under the keyed hash once their email is seen again", async () => {
    await seedFirstVersionPerson();
    const site = await createSite(["example.com"], "Upgrade");
    const identify = { type: "identify", messageId: "rekey-1", anonymousId: "new-phone", timestamp: "2026-11-20T10:00:00.000Z", traits: { email: "Jane@Acme.com" } };
    const r = await call("/v1/batch", { method: "POST", token: null, headers: { authorization: basic(site.write_key) }, body: JSON.stringify({ batch: [identify] }) });
    expect(r.status).toBe(200);
    await waitForEvents(site.id, 1);

    // One person, keyed by the HMAC (openssl, see privacy-fixtures.ts), seen since the first version.
    expect((await d1.prepare("SELECT id, email_domain, first_seen FROM people").all()).results).toEqual([{ id: JANE_HASH, email_domain: "acme.com", first_seen: "2026-11-10T09:00:00.000Z" }]);
    const devices = await d1.prepare("SELECT anonymous_id, person_id, account_id FROM visitor_identities ORDER BY anonymous_id").all();
    expect(devices.results).toEqual([
      { anonymous_id: "new-phone", person_id: JANE_HASH, account_id: 777 },
      { anonymous_id: "old-laptop", person_id: JANE_HASH, account_id: 777 },
    ]);
    const detail = await d1.prepare("SELECT detail FROM visitor_moments WHERE anonymous_id = 'old-laptop'").first<{ detail: string }>();
    expect(JSON.parse(detail!.detail)).toEqual({ person_id: JANE_HASH, email_domain: "acme.com", user_id: null, path: "/signup" });

    const account = (await (await call("/v1/accounts/acme.com?from=2026-11-01&to=2026-11-30")).json()) as { people: { id: string; devices: number }[] };
    expect(account.people.map((p) => [p.id, p.devices])).toEqual([[JANE_HASH, 2]]);
    const timeline = (await (await call("/v1/accounts/acme.com/timeline")).json()) as { items: { kind: string; anonymous_id: string; person_id: string }[] };
    expect(timeline.items.filter((i) => i.kind === "identify").map((i) => [i.anonymous_id, i.person_id])).toEqual([
      ["old-laptop", JANE_HASH],
      ["new-phone", JANE_HASH],
    ]);
  });
});
