// The snippet to embed, with each site's write key. Listing sites needs the admin scope; a
// read-only key gets the snippet with a placeholder and a sentence saying why.
import type { Site } from "../../../cli/client/client";
import { FootholdError } from "../../../cli/client/client";
import type { ViewContext } from "../context";
import { empty, h, loading, replace } from "../dom";

export const snippetFor = (origin: string, writeKey: string) => `<script defer src="${origin}/s.js" data-key="${writeKey}"></script>`;

export function snippetView(ctx: ViewContext): HTMLElement {
  const body = h("div", {}, loading("sites"));
  void (async () => {
    try {
      const { sites } = await ctx.client.sites.list();
      if (!ctx.isCurrent()) return;
      replace(body, ...(sites.length ? sites.map(siteCard) : [empty("No sites yet.", "Create one with `foothold sites create \"Marketing site\" --domain example.com`; its write key goes in the snippet.")]));
    } catch (err) {
      if (err instanceof FootholdError && err.status === 403) {
        replace(body, h("div", { class: "state notice", role: "note" }, "Listing sites and their write keys needs an admin key; this key is read-only. Ask an admin for your site's write key and put it in place of WRITE_KEY:"), codeBlock(snippetFor(location.origin, "WRITE_KEY")));
        return;
      }
      ctx.fail(err, body);
    }
  })();
  return h(
    "section",
    { class: "view", "aria-labelledby": "snippet-title" },
    h("header", { class: "view-head" }, h("div", {}, h("h1", { id: "snippet-title" }, "Embed the snippet"), h("p", { class: "muted" }, "Paste it into the <head> of every page of the site. It loads deferred and sends page views, forms and engagement to this collector."))),
    body,
  );
}

function siteCard(site: Site): HTMLElement {
  return h("div", { class: "card site", "data-site": site.id }, h("h2", {}, site.name), h("p", { class: "muted" }, (site.domains_unicode ?? site.domains).join(", ")), codeBlock(snippetFor(location.origin, site.write_key)));
}

function codeBlock(code: string): HTMLElement {
  const button = h("button", { type: "button", class: "copy" }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
  return h("div", { class: "code" }, h("pre", {}, h("code", {}, code)), button);
}
