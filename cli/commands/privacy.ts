// Erasure (SPEC §13): erase a person and watch it finish, or read the erasure log.
import type { EraseKey, Erasure, ErasureSummary } from "../client/client";
import { type Command, EXIT, positiveInt, str, UsageError, type Values } from "../command";
import { progressBar } from "../progress";
import { formatTable, int } from "../table";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plural = (n: number, one: string, many = `${one}s`) => `${int(n)} ${n === 1 ? one : many}`;

function keyOf(values: Values): EraseKey {
  const given = [
    ["email", str(values.email)],
    ["user_id", str(values["user-id"])],
    ["anonymous_id", str(values["anonymous-id"])],
  ].filter((g): g is [string, string] => g[1] !== undefined);
  if (given.length !== 1) throw new UsageError("Name the person with exactly one of --email, --user-id or --anonymous-id.");
  const [kind, value] = given[0];
  if (value.trim() === "") throw new UsageError(`--${kind.replace("_", "-")} must not be empty.`);
  return { [kind]: value } as EraseKey;
}

/** What an erasure removed, in sentences. */
export function erasureSummary(e: Erasure | ErasureSummary): string[] {
  const lines = [
    `Removed ${plural(e.events, "event")} and ${plural(e.rejects, "refused event")} from ${plural(e.files.raw, "raw object")}, ` +
      `${plural(e.parquet_rows, "row")} from ${plural(e.files.parquet, "Parquet file")}` +
      (e.files.dead_letters ? `, and parked messages from ${plural(e.files.dead_letters, "dead letter")}` : "") + ".",
    `Removed ${plural(e.visitors, "visitor")}, ${plural(e.people, "person", "people")} and ${plural(e.sessions, "session")} from the database.`,
    `Later events of this person are dropped (so far: ${int(e.suppressed)}).`,
  ];
  if ("parquet_keys" in e && e.parquet_keys.length) {
    lines.push("Parquet files rewritten (a warehouse that loaded them must reload them):", ...e.parquet_keys.map((k) => `  ${k}`));
  }
  return lines;
}

export const erase: Command = {
  words: ["erase"],
  summary: "Erase a person everywhere (R2, Parquet, D1) and drop their later events",
  options: {
    email: { type: "string", help: "<email>  the person's email (sent to the collector, which hashes it)" },
    "user-id": { type: "string", help: "<id>  a userId their events carried" },
    "anonymous-id": { type: "string", help: "<id>  an anonymous id (a browser) of theirs" },
    detach: { type: "boolean", help: "start it and print its id, without waiting" },
    json: { type: "boolean", help: "print the finished erasure as the API's JSON" },
  },
  details: [
    "Example: foothold erase --email jane@acme.com",
    "It runs on the collector: stop waiting with Ctrl-C and follow it with foothold erasures.",
  ],
  async run(ctx) {
    const key = keyOf(ctx.values);
    const client = ctx.client();
    const { id } = await client.privacy.erase(key);
    ctx.err(`Erasure ${id} started.`);
    if (ctx.values.detach) {
      ctx.out(id);
      return EXIT.ok;
    }
    const bar = progressBar("Erasing", 1, process.stderr, "steps");
    let e = await client.privacy.erasure(id);
    while (e.status !== "done") {
      bar.update(e.progress.tasks_done, e.progress.tasks);
      await sleep(1000);
      e = await client.privacy.erasure(id);
    }
    bar.update(1, 1);
    bar.finish();
    if (ctx.values.json) {
      ctx.out(JSON.stringify(e, null, 2));
      return EXIT.ok;
    }
    ctx.out(`Erasure ${e.id} done (by ${e.by.replace("_", " ")}, ${e.finished_at}).`);
    for (const line of erasureSummary(e)) ctx.out(line);
    return EXIT.ok;
  },
};

export const erasures: Command = {
  words: ["erasures"],
  summary: "The erasure log: when, by which key, what was removed (never who)",
  options: { limit: { type: "string", help: "<n>  rows (default 50)" }, json: { type: "boolean", help: "print the API's JSON" } },
  async run(ctx) {
    const log = await ctx.client().privacy.erasures({ limit: positiveInt(str(ctx.values.limit), "limit", 50, 500) });
    if (ctx.values.json) {
      ctx.out(JSON.stringify(log, null, 2));
      return EXIT.ok;
    }
    if (log.erasures.length === 0) {
      ctx.out("No erasures yet. Erase a person with: foothold erase --email jane@acme.com");
      return EXIT.ok;
    }
    ctx.out(
      formatTable(log.erasures, [
        { title: "Id", value: (e) => e.id },
        { title: "Requested", value: (e) => e.requested_at.slice(0, 16).replace("T", " ") },
        { title: "By", value: (e) => e.by },
        { title: "Key", value: (e) => e.requested_by },
        { title: "Status", value: (e) => (e.status === "done" ? "done" : `running ${e.progress.tasks_done}/${e.progress.tasks}`) },
        { title: "Events", value: (e) => int(e.events), align: "right" },
        { title: "Files", value: (e) => int(e.files.raw + e.files.parquet + e.files.dead_letters), align: "right" },
        { title: "Visitors", value: (e) => int(e.visitors), align: "right" },
        { title: "Suppressed", value: (e) => int(e.suppressed), align: "right" },
      ]),
    );
    return EXIT.ok;
  },
};
