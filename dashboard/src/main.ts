// The dashboard: sign in, then one view per hash route. Hash routes keep every view a plain
// GET /dashboard for the collector, and nothing secret ever goes in the address.
import "./styles.css";
import { defaultPrefs, type ViewContext } from "./context";
import { errorBox, h, replace } from "./dom";
import { clientFor, describe, forgetKey, isUnauthorized, storedKey } from "./session";
import { accountView } from "./views/account";
import { accountsView } from "./views/accounts";
import { alertsView } from "./views/alerts";
import { campaignsView } from "./views/campaigns";
import { contentView } from "./views/content";
import { coverageView } from "./views/coverage";
import { dealView } from "./views/deal";
import { erasuresView } from "./views/erasures";
import { funnelView } from "./views/funnel";
import { pipelineView } from "./views/pipeline";
import { revenueView } from "./views/revenue";
import { signInView } from "./views/signin";
import { snippetView } from "./views/snippet";
import { statusView } from "./views/status";

const root = document.getElementById("app")!;
const prefs = defaultPrefs();
let generation = 0;

/** The tabs, in order: each a hash route and the view it shows (a view is added here and only here). */
const VIEWS: ReadonlyArray<readonly [path: string, title: string, view: (ctx: ViewContext) => HTMLElement]> = [
  ["/accounts", "Accounts", accountsView],
  ["/coverage", "Coverage", coverageView],
  ["/revenue", "Revenue", revenueView],
  ["/pipeline", "Pipeline", pipelineView],
  ["/funnel", "Funnel", funnelView],
  ["/campaigns", "Campaigns", campaignsView],
  ["/content", "Content", contentView],
  ["/alerts", "Alerts", alertsView],
  ["/snippet", "Snippet", snippetView],
  ["/erasures", "Erasures", erasuresView],
  ["/status", "Status", statusView],
];

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
  const tab = VIEWS.find(([p]) => p === path) ?? VIEWS[0];
  const view = account ? accountView(ctx, decodeURIComponent(account[1])) : deal ? dealView(ctx, decodeURIComponent(deal[1])) : tab[2](ctx);
  // A deal's journey is reached from Content and from an account's timeline: Content's tab stays lit.
  const current = `#${account ? "/accounts" : deal ? "/content" : tab[0]}`;
  replace(
    root,
    h(
      "header",
      { class: "topbar" },
      h("a", { class: "brand", href: "#/accounts" }, h("span", { class: "logo", "aria-hidden": "true" }), "Foothold"),
      h("nav", { class: "tabs", "aria-label": "Views" }, ...VIEWS.map(([p, text]) => h("a", { href: `#${p}`, "aria-current": `#${p}` === current ? "page" : null }, text))),
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
