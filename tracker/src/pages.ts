import { abandonForms } from "./forms";
import { reportEngagement, tick } from "./engagement";
import { doc, loc, on, safe } from "./env";
import { track } from "./send";

// Page views: on load, on SPA navigation (pushState, replaceState, popstate) and on a
// bfcache restore. The fragment is not part of a page: anchor jumps are not page views, and
// the same URL twice in a row counts once (a router's replaceState on load, a manual call).

/** the current page's URL without its fragment; "" after pagehide, so a bfcache restore counts */
let current = "";

/** Closes page `current`: its engagement and its abandoned forms. */
const leave = () => {
  if (current) reportEngagement(current), abandonForms(current);
};

export const page = () => {
  // The fragment is not part of the page: anchor jumps are not page views.
  const url = loc.href.split("#")[0];
  if (url == current) return;
  leave();
  // An SPA view's referrer is the view before it; the first view's is the document's.
  track("page", { r: current || doc.referrer, ti: doc.title });
  current = url;
};

const pageSafely = safe(page);
for (const method of ["pushState", "replaceState"] as const) {
  const original = history[method];
  history[method] = function (this: History) {
    original.apply(this, arguments as unknown as Parameters<History["pushState"]>);
    pageSafely();
  };
}
on("popstate", page);
// pageshow also fires on a first load: the same URL then, so it counts only after a bfcache restore.
on("pageshow", page);
on("pagehide", () => {
  leave();
  current = "";
});
// Hidden may be the last moment a mobile page gets: report engagement, keep the page open.
on("visibilitychange", () => (doc.hidden ? current && reportEngagement(current) : tick()));
