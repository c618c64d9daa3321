// The dashboard: sign in, then one view per hash route. Hash routes keep every view a plain
// GET /dashboard for the collector, and nothing secret ever goes in the address.
import "./styles.css";
import { defaultPrefs, type ViewContext } from "./context";
import { errorBox, h, replace } from "./dom";
import { clientFor, describe, forgetKey, isUnauthorized, storedKey } from "./session";
import { accountView } from "./views/account";
import { accountsView } from "./views/accounts";
import { campaignsView } from "./views/campaigns";
import { contentView } from "./views/content";
import { coverageView } from "./views/coverage";
import { dealView } from "./views/deal";
import { revenueView } from "./views/revenue";
import { signInView } from "./views/signin";
import { snippetView } from "./views/snippet";

const root = document.getElementById("app")!;
const prefs = defaultPrefs();
let generation = 0;

const NAV = [
  ["#/accounts", "Accounts"],
  ["#/coverage", "Coverage"],
  ["#/revenue", "Revenue"],
  ["#/campaigns", "Campaigns"],
  ["#/content", "Content"],
  ["#/snippet", "Snippet"],
] as const;

function render(notice?: string): void {
  const key = storedKey();
  generation++;
  if (!key) {
    replace(root, signInView(() => render(), notice));
    return;
  }
  const mine = generation;
  const ctx: ViewContext = {
    client: clientFor(key),
    prefs,
    isCurrent: () => mine === generation,
    fail(err, where) {
      if (isUnauthorized(err)) {
        forgetKey();
        if (mine === generation) render("Your API key is no longer accepted (revoked or wrong). Sign in again.");
        return;
      }
      if (mine === generation) replace(where, errorBox(describe(err)));
    },
  };
  const path = location.hash.replace(/^#/, "") || "/accounts";
  const account = /^\/accounts\/(.+)$/.exec(path);
  const deal = /^\/deals\/(.+)$/.exec(path);
  const simple: Record<string, (c: ViewContext) => HTMLElement> = { "/coverage": coverageView, "/revenue": revenueView, "/campaigns": campaignsView, "/content": contentView, "/snippet": snippetView };
  const view = account ? accountView(ctx, decodeURIComponent(account[1])) : deal ? dealView(ctx, decodeURIComponent(deal[1])) : (simple[path] ?? accountsView)(ctx);
  // A deal's journey is reached from Content and from an account's timeline: Content's tab stays lit.
  const current = `#${account ? "/accounts" : deal ? "/content" : path}`;
  replace(
    root,
    h(
      "header",
      { class: "topbar" },
      h("a", { class: "brand", href: "#/accounts" }, h("span", { class: "logo", "aria-hidden": "true" }), "Foothold"),
      h("nav", { class: "tabs", "aria-label": "Views" }, ...NAV.map(([href, text]) => h("a", { href, "aria-current": href === current ? "page" : null }, text))),
      h("button", { type: "button", class: "ghost", id: "sign-out", onclick: () => (forgetKey(), render()) }, "Sign out"),
    ),
    h("main", { class: "content" }, view),
  );
}

window.addEventListener("hashchange", () => render());
try {
  render();
} catch (err) {
  replace(root, errorBox(describe(err)));
}
