import { SCOPES, type Scope } from "../auth/scopes";
import { randomToken, sha256Hex } from "../auth/secrets";
import { countDeadLetters, markReplayed, pendingDeadLetters } from "../storage/dead-letters";
import { eventsAfter, rejectsBefore } from "../storage/events";
import { insertKey, listKeys, revokeKey } from "../storage/keys";
import { insertSite, listSites } from "../storage/sites";
import { registrableDomain } from "../identity/email";
import { asciiDomain, unicodeDomain } from "../identity/idn";
import { quote } from "../quote";
import { readJson } from "./body";
import { ApiError, badRequest } from "./errors";
import { intParam } from "./query";
import { route, type App } from "./routes";

const MAX_JSON = 64 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function siteInput(body: unknown): { name: string; domains: string[] } {
  if (!isObject(body)) throw badRequest("invalid_body", "Send { name, domains: [\"example.com\"] }.");
  const { name, domains } = body;
  if (typeof name !== "string" || !name.trim() || name.length > 200) throw badRequest("invalid_name", "`name` must be 1 to 200 characters.");
  if (!Array.isArray(domains) || domains.length === 0 || domains.length > 50) {
    throw badRequest("invalid_domains", "`domains` must list 1 to 50 domains, e.g. [\"example.com\"].");
  }
  const clean = domains.map((d) => {
    const typed = typeof d === "string" ? d.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/[/:].*$/, "") : "";
    // One form, the one browsers send in Origin: "bücher.example" is stored as "xn--bcher-kva.example".
    const host = typed === "" ? "" : (asciiDomain(typed) ?? "");
    // localhost and IPs have no registrable domain but are fine for local sites.
    const ok = host === "localhost" || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host !== "" && registrableDomain(host) !== null);
    if (!ok) throw badRequest("invalid_domains", `${quote(d)} is not a domain.`);
    return host.replace(/^www\./, "");
  });
  return { name: name.trim(), domains: [...new Set(clean)] };
}

function keyInput(body: unknown): { name: string; scopes: Scope[] } {
  if (!isObject(body)) throw badRequest("invalid_body", "Send { name, scopes: [\"read\"] }.");
  const { name, scopes } = body;
  if (typeof name !== "string" || !name.trim() || name.length > 200) throw badRequest("invalid_name", "`name` must be 1 to 200 characters.");
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => (SCOPES as readonly unknown[]).includes(s))) {
    throw badRequest("invalid_scopes", `\`scopes\` must list some of ${SCOPES.join(", ")}.`);
  }
  return { name: name.trim(), scopes: [...new Set(scopes as Scope[])] };
}

export function managementRoutes(app: App): void {
  route(
    app,
    {
      method: "post", path: "/v1/sites", summary: "Create a site; answers its write key", auth: "admin", tag: "management",
      body: { contentTypes: ["application/json"], description: "{ name, domains: [\"example.com\"] }" },
      responses: { 201: "{ id, name, domains (punycode), domains_unicode, write_key }", 400: "Invalid input", 401: "No token", 403: "Not admin" },
    },
    async (c) => {
      const input = siteInput(await readJson(c, MAX_JSON));
      const site = { id: `site_${crypto.randomUUID()}`, ...input, write_key: randomToken("wk_", 18), created_at: new Date().toISOString() };
      await insertSite(c.env.DB, site);
      return c.json({ id: site.id, name: site.name, domains: site.domains, domains_unicode: site.domains.map(unicodeDomain), write_key: site.write_key }, 201);
    },
  );
  route(
    app,
    { method: "get", path: "/v1/sites", summary: "List sites", auth: "admin", tag: "management", responses: { 200: "{ sites: [...] }" } },
    // Domains as stored and compared (punycode), and as people read them.
    async (c) => c.json({ sites: (await listSites(c.env.DB)).map((site) => ({ ...site, domains_unicode: site.domains.map(unicodeDomain) })) }),
  );
  route(
    app,
    {
      method: "post", path: "/v1/keys", summary: "Create an API key (shown once)", auth: "admin", tag: "management",
      body: { contentTypes: ["application/json"], description: "{ name, scopes: [\"read\", \"import\", \"export\", \"admin\"] }" },
      responses: { 201: "{ id, name, scopes, key }", 400: "Invalid input" },
    },
    async (c) => {
      const input = keyInput(await readJson(c, MAX_JSON));
      const key = randomToken("fh_", 24);
      const record = { id: `key_${crypto.randomUUID()}`, ...input, created_at: new Date().toISOString() };
      await insertKey(c.env.DB, record, await sha256Hex(key));
      return c.json({ id: record.id, name: record.name, scopes: record.scopes, key }, 201);
    },
  );
  route(
    app,
    { method: "get", path: "/v1/keys", summary: "List API keys (never the secrets)", auth: "admin", tag: "management", responses: { 200: "{ keys: [...] }" } },
    async (c) => c.json({ keys: await listKeys(c.env.DB) }),
  );
  route(
    app,
    { method: "delete", path: "/v1/keys/:id", summary: "Revoke an API key", auth: "admin", tag: "management", responses: { 200: "{ revoked: true }", 404: "No live key with that id" } },
    async (c) => {
      if (!(await revokeKey(c.env.DB, c.req.param("id") ?? "", new Date().toISOString()))) {
        throw new ApiError(404, "not_found", "No live API key has that id.");
      }
      return c.json({ id: c.req.param("id"), revoked: true });
    },
  );
  route(
    app,
    {
      method: "get", path: "/v1/rejects", summary: "Refused events with their reasons, newest first", auth: "read", tag: "management",
      query: { limit: "rows, at most 1000 (default 100)", before: "cursor: the smallest seq of the previous page" },
      responses: { 200: "{ rejects: [...], next_before }" },
    },
    async (c) => {
      const limit = intParam(c.req.query("limit"), "limit", 100, 1000, 1);
      const before = c.req.query("before") ? intParam(c.req.query("before"), "before", 0, Number.MAX_SAFE_INTEGER) : null;
      const rows = await rejectsBefore(c.env.DB, before, limit);
      return c.json({
        rejects: rows.map((r) => ({ ...r, payload: safeParse(r.payload) })),
        next_before: rows.length === limit ? rows[rows.length - 1].seq : null,
      });
    },
  );
  route(
    app,
    {
      method: "get", path: "/v1/export/events", summary: "Events as NDJSON, oldest first; next cursor in X-Next-Cursor", auth: "export", tag: "export",
      query: { since: "cursor from the previous X-Next-Cursor (default 0: from the start)", limit: "rows, at most 10000 (default 1000)" },
      responses: { 200: "application/x-ndjson" },
    },
    async (c) => {
      const since = intParam(c.req.query("since"), "since", 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(c.req.query("limit"), "limit", 1000, 10_000, 1);
      const page = await eventsAfter(c.env.DB, since, limit);
      return c.body(page.lines.length ? page.lines.join("\n") + "\n" : "", 200, {
        "content-type": "application/x-ndjson; charset=utf-8",
        "x-next-cursor": String(page.next),
      });
    },
  );
  route(
    app,
    { method: "get", path: "/v1/dead-letters", summary: "Counts of parked queue messages", auth: "admin", tag: "management", responses: { 200: "{ pending, replayed }" } },
    async (c) => c.json(await countDeadLetters(c.env.DB)),
  );
  route(
    app,
    { method: "post", path: "/v1/dead-letters/replay", summary: "Re-queue parked messages (safe: events dedupe on messageId)", auth: "admin", tag: "management", responses: { 200: "{ replayed }" } },
    async (c) => {
      const pending = await pendingDeadLetters(c.env.DB, 100);
      if (pending.length) {
        // One at a time: parked bodies are up to 100 KB and a sendBatch holds 256 KB.
        for (const p of pending) await c.env.EVENTS.send(p.body, { contentType: "json" });
        await markReplayed(c.env.DB, pending.map((p) => p.id), new Date().toISOString());
      }
      return c.json({ replayed: pending.length });
    },
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
