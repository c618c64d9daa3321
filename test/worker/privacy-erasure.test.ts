import { parquetMetadata } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import type { EnrichedEvent } from "../../collector/events";
import { EXPORT_MANIFEST_KEY } from "../../collector/export/ledger";
import { eventsToParquet } from "../../collector/export/parquet";
import { runExport } from "../../collector/export/run";
import { startErasure } from "../../collector/privacy/start";
import { erasureStatus } from "../../collector/privacy/status";
import { failingBucket, keysUnder, parquetRowsUnder, store, storedManifest, testEnv } from "./export-fixtures";
import { call, exportAll } from "./helpers";
import { at, BOB_HASH, CAROL_HASH, CapturedQueue, deliver, drive, ev, JANE_HASH, ndjsonLines, rows, snapshot } from "./privacy-fixtures";

// An erasure driven message by message through the real queue handler: two people of acme.com,
// events on three days in raw objects and Parquet parts; Jane is erased while the bucket fails
// once half-way. Everything of hers must go, everything of Bob's must stay, counts must follow.

const SECRET = "test-hash-secret";
const acme = { email_domain: "acme.com" };

// Jane: a laptop (page, identify with her user id, form submit), a phone the next day (page,
// identify), a backend call with only her user id, and one refused event from her laptop.
const janeLaptop: EnrichedEvent[] = [
  ev("j-1", { anonymous_id: "jane-laptop", timestamp: at(20, 9, 0), url: "https://example.com/pricing", path: "/pricing" }),
  ev("j-2", { anonymous_id: "jane-laptop", timestamp: at(20, 9, 1), type: "identify", user_id: "u-jane", email_hash: JANE_HASH, ...acme }),
  ev("j-3", { anonymous_id: "jane-laptop", timestamp: at(20, 9, 2), type: "track", event: "form_submit", properties: JSON.stringify({ form: "demo", fields: ["email"] }) }),
];
const janePhone: EnrichedEvent[] = [
  ev("j-4", { anonymous_id: "jane-phone", timestamp: at(21, 10, 0), url: "https://example.com/", path: "/" }),
  ev("j-5", { anonymous_id: "jane-phone", timestamp: at(21, 10, 1), type: "identify", email_hash: JANE_HASH, ...acme }),
  ev("j-6", { anonymous_id: null, user_id: "u-jane", timestamp: at(21, 12, 0), type: "track", event: "Signed Up" }),
];
// Bob: a page and identify on the 20th, a page on the 22nd, one refused event. Carol, of another
// company, on the 20th.
const bob: EnrichedEvent[] = [
  ev("b-1", { anonymous_id: "bob-laptop", timestamp: at(20, 9, 30), url: "https://example.com/pricing", path: "/pricing" }),
  ev("b-2", { anonymous_id: "bob-laptop", timestamp: at(20, 9, 31), type: "identify", email_hash: BOB_HASH, ...acme }),
  ev("b-3", { anonymous_id: "bob-laptop", timestamp: at(22, 8, 0), url: "https://example.com/docs", path: "/docs" }),
];
const carol: EnrichedEvent[] = [
  ev("c-1", { anonymous_id: "carol-laptop", timestamp: at(20, 9, 40), url: "https://example.com/", path: "/" }),
  ev("c-2", { anonymous_id: "carol-laptop", timestamp: at(20, 9, 41), type: "identify", email_hash: CAROL_HASH, email_domain: "initech.com" }),
];
const reject = (id: string, anon: string) => ({
  reject_id: id, site_id: "site_p", received_at: at(20, 9, 5), code: "invalid_type", reason: "`type` must be one of track, page, …",
  payload: JSON.stringify({ type: "nope", anonymousId: anon, messageId: `m-${id}` }),
});

const ids = (list: { message_id?: unknown }[]) => list.map((r) => r.message_id as string).sort();
const BOB = ["b-1", "b-2", "b-3"];
const CAROL = ["c-1", "c-2"];

async function accountCounts() {
  const r = await call("/v1/accounts/acme.com?from=2026-11-19&to=2026-11-23");
  expect(r.status).toBe(200);
  const body = (await r.json()) as { counts: Record<string, number>; people: { id: string }[]; visitors: { anonymous_id: string }[] };
  return { counts: body.counts, people: body.people.map((p) => p.id), visitors: body.visitors.map((v) => v.anonymous_id).sort() };
}

async function rankedAcme() {
  const r = await call("/v1/accounts?from=2026-11-19&to=2026-11-23");
  const body = (await r.json()) as { accounts: { domain: string; sessions: number; pageviews: number; visitors: number; people: number }[] };
  return body.accounts.find((a) => a.domain === "acme.com");
}

/** Each listed object's line count and each listed part's rows and bytes agree with what is in R2. */
async function countsAgree(): Promise<void> {
  for (const row of await rows<{ stream: string; dt: string; first_seq: number; rows: number }>("SELECT stream, dt, first_seq, rows FROM archive_objects")) {
    const key = `${row.stream}/dt=${row.dt}/${String(row.first_seq).padStart(12, "0")}.ndjson`;
    const text = await (await testEnv.ARCHIVE.get(key))!.text();
    expect(text.split("\n").filter(Boolean).length, key).toBe(row.rows);
  }
  const m = await storedManifest();
  for (const f of [...m.events.files, ...m.rejects.files]) {
    const bytes = await (await testEnv.ARCHIVE.get(f.key))!.arrayBuffer();
    expect(bytes.byteLength, f.key).toBe(f.bytes);
    expect(Number(parquetMetadata(bytes).num_rows), f.key).toBe(f.rows);
  }
}

let erasureId: string;
let deliveries: { task: string; outcome: string }[];

beforeAll(async () => {
  // Consumer batches: one raw object per batch and receive date.
  await store([...janeLaptop, bob[0], bob[1], ...carol], [reject("r-jane", "jane-laptop"), reject("r-bob", "bob-laptop")]);
  await store([bob[2]]);
  const first = await runExport(testEnv);
  expect(first.events.rows_written).toBe(8);
  // The phone's day arrives after that export: it is only in the raw archive when the erasure starts.
  await store([...janePhone]);
});

describe("an erasure interrupted half-way", () => {
  it("starts with both people in the account, the archive and the Parquet parts", async () => {
    const before = await accountCounts();
    // Jane's laptop and phone, and Bob's laptop (her backend user id counts for her, not as a visitor).
    expect(before.counts).toMatchObject({ visitors: 3, people: 2 });
    expect(before.people.sort()).toEqual([BOB_HASH, JANE_HASH].sort());
    expect(ids(await parquetRowsUnder("events/"))).toEqual([...BOB, ...CAROL, "j-1", "j-2", "j-3"].sort());
    expect(await keysUnder("raw/")).toHaveLength(3);
  });

  it("resumes after the bucket failed and finishes with none of Jane left and all of Bob", async () => {
    // A part an interrupted export run left under another name (below the cursor, so nobody lists it), holding her rows.
    const orphan = "events/dt=2026-11-20/part-000000000001-000000000002.parquet";
    await testEnv.ARCHIVE.put(orphan, eventsToParquet(janeLaptop.slice(0, 2).map((e) => ({ ...e, session_id: null, account_domain: null }))));
    const manifestBefore = (await testEnv.ARCHIVE.head(EXPORT_MANIFEST_KEY))!.etag;

    const captured = new CapturedQueue();
    ({ id: erasureId } = await startErasure({ ...testEnv, ERASURE: captured.queue }, SECRET, { email: " Jane@ACME.com" }, "admin"));
    expect(captured.messages.map((m) => m.body.task)).toEqual(["plan"]);
    expect(await deliver(captured)).toEqual({ task: "plan", outcome: "ack" });
    // The plan rewrote the manifest: a run that read it before cannot commit what it read then.
    expect((await testEnv.ARCHIVE.head(EXPORT_MANIFEST_KEY))!.etag).not.toBe(manifestBefore);
    // The hourly export runs while the erasure does: the phone's day is still in the raw archive,
    // but no part it writes holds a row of hers (that day had nothing else: no part at all).
    const midway = await runExport(testEnv);
    expect(midway).toMatchObject({ lost_race: false, events: { rows_written: 3, caught_up: true } });
    expect(await keysUnder("events/dt=2026-11-21/")).toEqual([]);

    // Half-way: the rewrite of the 20th's raw object fails once, and so does the first manifest
    // write after a Parquet part was put.
    let rawFails = 1;
    let manifestFails = 1;
    let partPuts = 0;
    const bucket = failingBucket((key) => {
      if (key.startsWith("raw/dt=2026-11-20/") && rawFails > 0) return rawFails-- > 0;
      if (key.endsWith(".parquet")) partPuts++;
      if (key === EXPORT_MANIFEST_KEY && partPuts > 0 && manifestFails > 0) return manifestFails-- > 0;
      return false;
    });
    deliveries = await drive(captured, { ARCHIVE: bucket, ERASURE_PAGE_OBJECTS: "1" });
    expect([rawFails, manifestFails]).toEqual([0, 0]);
    expect(deliveries.filter((d) => d.outcome === "retry")).toHaveLength(2);
    expect(deliveries[deliveries.length - 1]).toEqual({ task: "finish", outcome: "ack" });

    const status = await erasureStatus(testEnv.DB, erasureId);
    // By hand: 6 events of hers in raw objects and 1 refusal; objects: raw 20th (rewritten),
    // raw 21st (deleted: all hers), rejects 20th (rewritten); parts: events 20th (3 of her rows),
    // rejects 20th (1); D1: laptop, phone and u:u-jane, 2 sessions, 1 person.
    expect(status).toMatchObject({
      status: "done", by: "email", requested_by: "admin",
      events: 6, rejects: 1, files: { raw: 3, parquet: 2, dead_letters: 0 }, parquet_rows: 4,
      visitors: 3, people: 1, sessions: 2, suppressed: 0,
    });
    expect(status!.parquet_keys.map((k) => k.replace(/part-.*/, ""))).toEqual(["events/dt=2026-11-20/", "rejects/dt=2026-11-20/"]);
    expect(await testEnv.ARCHIVE.head(orphan)).toBeNull();
  });

  it("leaves no line of hers in raw objects, Parquet parts, the NDJSON export or rejects", async () => {
    expect(ids((await ndjsonLines("raw/")).map((l) => l.row))).toEqual([...BOB, ...CAROL].sort());
    expect((await ndjsonLines("rejects/")).map((l) => l.row.reject_id)).toEqual(["r-bob"]);
    expect(ids(await parquetRowsUnder("events/"))).toEqual([...BOB, ...CAROL].sort());
    expect((await parquetRowsUnder("rejects/")).map((r) => r.reject_id)).toEqual(["r-bob"]);
    expect(ids(await exportAll())).toEqual([...BOB, ...CAROL].sort());
    const rejects = (await (await call("/v1/rejects")).json()) as { rejects: { reject_id: string }[] };
    expect(rejects.rejects.map((r) => r.reject_id)).toEqual(["r-bob"]);
    // Nothing anywhere names her: not her ids, not her hash.
    for (const key of await keysUnder("")) {
      const text = new TextDecoder().decode(await (await testEnv.ARCHIVE.get(key))!.arrayBuffer());
      for (const needle of ["jane-laptop", "jane-phone", "u-jane", JANE_HASH]) expect(text.includes(needle), `${needle} in ${key}`).toBe(false);
    }
    await countsAgree();
  });

  it("removes her D1 state and takes what she counted off the account", async () => {
    const tables = ["sessions", "visitor_identities", "visitor_days", "visitor_moments"];
    for (const t of tables) expect(await rows(`SELECT anonymous_id FROM ${t} WHERE anonymous_id LIKE '%jane%'`), t).toEqual([]);
    expect(await rows("SELECT id FROM people ORDER BY id")).toEqual([{ id: BOB_HASH }, { id: CAROL_HASH }]);
    // Bob alone: 2 sessions (20th, 22nd), /pricing and /docs, 3 events.
    const after = await accountCounts();
    expect(after.people).toEqual([BOB_HASH]);
    expect(after.visitors).toEqual(["bob-laptop"]);
    expect(after.counts).toMatchObject({ visitors: 1, people: 1, sessions: 2, pageviews: 2, high_intent_pageviews: 1, events: 3, form_submits: 0 });
    // The ranking reads the running sums: they were refreshed.
    expect(await rankedAcme()).toMatchObject({ sessions: 2, pageviews: 2, visitors: 1, people: 1 });
    const timeline = (await (await call("/v1/accounts/acme.com/timeline")).json()) as { items: { anonymous_id: string | null }[] };
    expect(timeline.items.every((i) => i.anonymous_id === "bob-laptop")).toBe(true);
  });

  it("keeps no identifier of hers in the log or the suppression list", async () => {
    const text = JSON.stringify(await rows("SELECT * FROM erasures")) + JSON.stringify(await rows("SELECT * FROM suppressions")) + JSON.stringify(await rows("SELECT * FROM erasure_files"));
    for (const needle of ["jane", "u-jane", JANE_HASH]) expect(text.includes(needle)).toBe(false);
    expect(await rows("SELECT * FROM erasure_keys")).toEqual([]);
    expect(await rows("SELECT * FROM erasure_tasks")).toEqual([]);
    // Her laptop, phone, user id, email hash, and that hash as a user id (an email sent as userId is stored hashed).
    expect(await rows("SELECT kind FROM suppressions ORDER BY kind")).toEqual([
      { kind: "anonymous_id" }, { kind: "anonymous_id" }, { kind: "email_hash" }, { kind: "user_id" }, { kind: "user_id" },
    ]);
  });

  it("erased again, changes nothing more", async () => {
    const before = await snapshot();
    const captured = new CapturedQueue();
    const { id } = await startErasure({ ...testEnv, ERASURE: captured.queue }, SECRET, { email: "jane@acme.com" }, "key_x");
    const log = await drive(captured);
    expect(log.every((d) => d.outcome === "ack")).toBe(true);
    expect(await erasureStatus(testEnv.DB, id)).toMatchObject({
      status: "done", requested_by: "key_x", events: 0, rejects: 0, files: { raw: 0, parquet: 0, dead_letters: 0 }, visitors: 0, people: 0, sessions: 0, parquet_keys: [],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("counts once and removes the same when every message is delivered twice", async () => {
    const captured = new CapturedQueue();
    const { id } = await startErasure({ ...testEnv, ERASURE: captured.queue }, SECRET, { anonymous_id: "carol-laptop" }, "admin");
    await drive(captured, { ERASURE_PAGE_OBJECTS: "1" }, { twice: true });
    // Her two events in the 20th's raw object and Parquet part; her laptop, its session, her person.
    expect(await erasureStatus(testEnv.DB, id)).toMatchObject({
      status: "done", by: "anonymous_id", events: 2, rejects: 0, files: { raw: 1, parquet: 1, dead_letters: 0 }, parquet_rows: 2, visitors: 1, people: 1, sessions: 1,
    });
    expect(ids(await exportAll())).toEqual(BOB);
    expect(ids(await parquetRowsUnder("events/"))).toEqual(BOB);
    await countsAgree();
  });
});

describe("suppression after the erasure", () => {
  it("drops later events of her browser, of a new device she identifies on, and of her user id; Bob's go on", async () => {
    const later = [
      ev("j-7", { anonymous_id: "jane-laptop", timestamp: at(23, 9) }),
      // A new device: its identify carries her email hash, its page the same browser.
      ev("j-8", { anonymous_id: "jane-tablet", timestamp: at(23, 10) }),
      ev("j-9", { anonymous_id: "jane-tablet", timestamp: at(23, 10, 1), type: "identify", email_hash: JANE_HASH, ...acme }),
      ev("j-10", { anonymous_id: null, user_id: "u-jane", timestamp: at(23, 11), type: "track", event: "Upgraded" }),
      ev("b-4", { anonymous_id: "bob-laptop", timestamp: at(23, 9, 30) }),
    ];
    await store(later, [reject("r-jane-2", "jane-phone")]);
    // The tablet is on the list now: its next page goes too, with no identify in its batch.
    await store([ev("j-11", { anonymous_id: "jane-tablet", timestamp: at(23, 12) })]);

    expect(ids(await exportAll())).toEqual([...BOB, "b-4"].sort());
    expect((await ndjsonLines("rejects/")).map((l) => l.row.reject_id)).toEqual(["r-bob"]);
    expect(await rows("SELECT anonymous_id FROM visitor_identities ORDER BY 1")).toEqual([{ anonymous_id: "bob-laptop" }]);
    // 4 events and 1 refusal in the first batch, 1 event in the second, all on the first erasure.
    expect(await erasureStatus(testEnv.DB, erasureId)).toMatchObject({ suppressed: 6 });
  });
});
