import { randomToken } from "../auth/secrets";
import { sha256Hex } from "../bytes";
import { countDeadLetters, markReplayed, pendingDeadLetters } from "../storage/dead-letters";
import { archivedEvents, rejectsBefore } from "../storage/archive-read";
import { insertKey, listKeys, revokeKey } from "../storage/keys";
import { insertSite, listSites } from "../storage/sites";
import { registrableDomain } from "../identity/email";
import { asciiDomain, unicodeDomain } from "../identity/idn";
import { quote } from "../quote";
import * as api from "./api/management";
import { ApiError, badRequest } from "./errors";
import { implement, type App } from "./routes";

function siteDomains(domains: readonly string[]): string[] {
  const clean = domains.map((d) => {
    const typed = typeof d === "string" ? d.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/[/:].*$/, "") : "";
    // One form, the one browsers send in Origin: "bücher.example" is stored as "xn--bcher-kva.example".
    const host = typed === "" ? "" : (asciiDomain(typed) ?? "");
    // localhost and IPs have no registrable domain but are fine for local sites.
    const ok = host === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host !== "" && registrableDomain(host) !== null);
    if (!ok) throw badRequest("invalid_domains", `${quote(d)} is not a domain.`);
    return host.replace(/^www\./, "");
  });
  return [...new Set(clean)];
}

export function managementRoutes(app: App): void {
  implement(app, api.createSite, async (c) => {
    const input = c.req.valid("json");
    const site = { id: `site_${crypto.randomUUID()}`, name: input.name, domains: siteDomains(input.domains), write_key: randomToken("wk_", 18), created_at: new Date().toISOString() };
    await insertSite(c.env.DB, site);
    return c.json({ id: site.id, name: site.name, domains: site.domains, domains_unicode: site.domains.map(unicodeDomain), write_key: site.write_key }, 201);
  });
  // Domains as stored and compared (punycode), and as people read them.
  implement(app, api.listSites, async (c) => c.json({ sites: (await listSites(c.env.DB)).map((site) => ({ ...site, domains_unicode: site.domains.map(unicodeDomain) })) }, 200));
  implement(app, api.createKey, async (c) => {
    const input = c.req.valid("json");
    const key = randomToken("fh_", 24);
    const record = { id: `key_${crypto.randomUUID()}`, name: input.name, scopes: [...new Set(input.scopes)], created_at: new Date().toISOString() };
    await insertKey(c.env.DB, record, await sha256Hex(key));
    return c.json({ id: record.id, name: record.name, scopes: record.scopes, key }, 201);
  });
  implement(app, api.listKeys, async (c) => c.json({ keys: await listKeys(c.env.DB) }, 200));
  implement(app, api.revokeKey, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await revokeKey(c.env.DB, id, new Date().toISOString()))) throw new ApiError(404, "not_found", "No live API key has that id.");
    return c.json({ id, revoked: true as const }, 200);
  });
  implement(app, api.listRejects, async (c) => {
    const { limit, before } = c.req.valid("query");
    const rows = await rejectsBefore(c.env, before ?? null, limit);
    return c.json(
      {
        rejects: rows.map((r) => ({ ...r, payload: safeParse(r.payload) })),
        next_before: rows.length === limit ? rows[rows.length - 1].seq : null,
      },
      200,
    );
  });
  implement(app, api.exportEvents, async (c) => {
    const { since, limit } = c.req.valid("query");
    const rows = await archivedEvents(c.env, since, null, limit);
    const lines = rows.map(({ seq: _seq, ...row }) => JSON.stringify(row));
    const body = c.body(lines.length ? lines.join("\n") + "\n" : "", 200, {
      "content-type": "application/x-ndjson; charset=utf-8",
      "x-next-cursor": String(rows.length ? rows[rows.length - 1].seq : since),
    });
    // The typed responses know JSON and text only; an NDJSON body is a plain Response.
    return body as never;
  });
  implement(app, api.deadLetters, async (c) => c.json(await countDeadLetters(c.env.ARCHIVE), 200));
  implement(app, api.replayDeadLetters, async (c) => {
    const pending = await pendingDeadLetters(c.env.ARCHIVE, 100);
    if (pending.length) {
      // One at a time: parked bodies are up to 100 KB and a sendBatch holds 256 KB.
      for (const p of pending) await c.env.EVENTS.send(p.body, { contentType: "json" });
      await markReplayed(c.env.ARCHIVE, pending.map((p) => p.id), new Date().toISOString());
    }
    return c.json({ replayed: pending.length }, 200);
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
