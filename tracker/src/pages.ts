import { abandonForms } from "./forms";
import { measureScroll, reportEngagement, tick } from "./engagement";
import { doc, on, pageUrl, safe } from "./env";
import { track } from "./send";

// Page views: on load, on SPA navigation (pushState, replaceState, popstate) and on a
// bfcache restore. The fragment is not part of a page: anchor jumps are not page views, and
// the same URL twice in a row counts once (a router's replaceState on load, a manual call).

/** the current page's URL without its fragment; "" after pagehide, so a bfcache restore counts */
let current = "";

/** Closes page `current`: its engagement and its abandoned forms. */
const leave = (leaving?: boolean) => {
  if (current) reportEngagement(current, leaving), abandonForms(current);
};

export function page() {
  const url = pageUrl();
  if (url == current) return;
  leave(true);
  // An SPA view's referrer is the view before it; the first view's is the document's.
  track("page", { r: current || doc.referrer, ti: doc.title });
  current = url;
}

export function watchPages() {
  const pageSafely = safe(page);
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History) {
      original.apply(this, arguments as unknown as Parameters<History["pushState"]>);
      pageSafely();
    };
  }
  on(window, "popstate", page);
  on(window, "pageshow", (e: PageTransitionEvent) => e.persisted && page());
  on(window, "pagehide", () => {
    leave();
    current = "";
  });
  // Hidden may be the last moment a mobile page gets: report engagement, keep the page open.
  on(doc, "visibilitychange", () => (doc.hidden ? current && reportEngagement(current) : tick()));
  on(window, "focus", tick);
  on(window, "blur", tick);
  on(window, "scroll", measureScroll);
}
