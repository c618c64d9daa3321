// Sites and API keys: the admin chores.
import type { Scope } from "../client/client";
import { SCOPES } from "../client/enums";
import { type Command, EXIT, list, UsageError } from "../command";
import { formatTable } from "../table";

export const sitesCreate: Command = {
  words: ["sites", "create"],
  args: "<name>",
  summary: "Create a site and print its write key and the snippet to embed",
  options: { domain: { type: "string", multiple: true, help: "<domain>  a domain the site's pages are on (repeat for more)" } },
  details: ['Example: foothold sites create "Marketing site" --domain example.com --domain docs.example.com'],
  async run(ctx) {
    const name = ctx.positionals[0];
    const domains = list(ctx.values.domain);
    if (!name) throw new UsageError("Name the site: foothold sites create <name> --domain example.com.", this);
    if (domains.length === 0) throw new UsageError("Give at least one --domain the site's pages are on.", this);
    const site = await ctx.client().sites.create(name, domains);
    ctx.out(`Created site ${site.name} (${site.id}) for ${site.domains.join(", ")}.`);
    ctx.out(`Write key: ${site.write_key}`);
    ctx.out("");
    ctx.out("Embed in every page's <head>:");
    ctx.out(`  <script defer src="${ctx.url}/s.js" data-key="${site.write_key}"></script>`);
    return EXIT.ok;
  },
};

export const sitesList: Command = {
  words: ["sites", "list"],
  summary: "List sites with their domains and write keys",
  options: {},
  async run(ctx) {
    const { sites } = await ctx.client().sites.list();
    if (sites.length === 0) ctx.out("No sites yet. Create one with: foothold sites create <name> --domain example.com");
    else ctx.out(formatTable(sites, [{ title: "Id", value: (s) => s.id }, { title: "Name", value: (s) => s.name, max: 30 }, { title: "Domains", value: (s) => (s.domains_unicode ?? s.domains).join(", "), max: 40 }, { title: "Write key", value: (s) => s.write_key }]));
    return EXIT.ok;
  },
};

export const keysCreate: Command = {
  words: ["keys", "create"],
  args: "<name>",
  summary: "Create an API key (printed once: store it now)",
  options: { scope: { type: "string", multiple: true, help: `<scope>  one of ${SCOPES.join(", ")} (repeat for more; default read)` } },
  details: ["Example: foothold keys create dashboard --scope read", "Example: foothold keys create crm-sync --scope import"],
  async run(ctx) {
    const name = ctx.positionals[0];
    if (!name) throw new UsageError("Name the key: foothold keys create <name> --scope read.", this);
    const scopes = list(ctx.values.scope);
    const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
    if (bad) throw new UsageError(`Unknown scope ${bad}; scopes are ${SCOPES.join(", ")}.`, this);
    const key = await ctx.client().keys.create(name, (scopes.length ? scopes : ["read"]) as Scope[]);
    ctx.out(`Created key ${key.name} (${key.id}) with scopes ${key.scopes.join(", ")}.`);
    ctx.out(`Key (shown once): ${key.key}`);
    return EXIT.ok;
  },
};

export const keysList: Command = {
  words: ["keys", "list"],
  summary: "List API keys (never their secrets)",
  options: {},
  async run(ctx) {
    const { keys } = await ctx.client().keys.list();
    if (keys.length === 0) ctx.out("No API keys yet. Create one with: foothold keys create <name> --scope read");
    else ctx.out(formatTable(keys, [{ title: "Id", value: (k) => k.id }, { title: "Name", value: (k) => k.name, max: 30 }, { title: "Scopes", value: (k) => k.scopes.join(", ") }, { title: "Created", value: (k) => k.created_at.slice(0, 10) }, { title: "Revoked", value: (k) => k.revoked_at?.slice(0, 10) ?? "" }]));
    return EXIT.ok;
  },
};

export const keysRevoke: Command = {
  words: ["keys", "revoke"],
  args: "<id>",
  summary: "Revoke an API key by its id",
  options: {},
  async run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw new UsageError("Give the key's id (see foothold keys list).", this);
    await ctx.client().keys.revoke(id);
    ctx.out(`Revoked ${id}.`);
    return EXIT.ok;
  },
};
