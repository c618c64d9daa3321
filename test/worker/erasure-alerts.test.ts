import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { removePersonState } from "../../collector/storage/erasure-state";

// An erasure removes the alert deliveries that named the person: the delivery row keeps what fired
// it (the visitor) and the exact body sent (the person's email hash).

describe("erasure and alerts", () => {
  it("deletes the deliveries whose detail or body names an erased visitor or person, and no others", async () => {
    const d1 = env.DB;
    const row = (id: string, detail: object, body: string | null) =>
      d1
        .prepare("INSERT INTO alert_deliveries (id, rule_id, account_id, kind, test, status, attempts, detail, body, created_at) VALUES (?1, 'rule_1', 7, 'page_view', 0, 'delivered', 1, ?2, ?3, '2026-11-20T10:00:00.000Z')")
        .bind(id, JSON.stringify(detail), body);
    await d1.batch([
      row("dlv_visitor", { at: "2026-11-20T10:00:00.000Z", visitor: "erase-me-laptop", page: { path: "/pricing" } }, null),
      row("dlv_person", { at: "2026-11-20T10:00:00.000Z", visitor: "someone-else", page: null }, JSON.stringify({ person: { email_hash: "hash-of-erased" } })),
      row("dlv_other", { at: "2026-11-20T10:00:00.000Z", visitor: "keep-me", page: null }, JSON.stringify({ person: { email_hash: "hash-of-kept" } })),
    ]);
    await removePersonState(d1, "era_alerts", ["erase-me-laptop"], ["hash-of-erased"], new Date().toISOString());
    const left = await d1.prepare("SELECT id FROM alert_deliveries ORDER BY id").all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual(["dlv_other"]);
  });
});
