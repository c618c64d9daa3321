import { doc, loc, on } from "./env";
import { track } from "./send";

// Outbound links (another host) and file downloads (a download attribute or a file extension).
// Middle clicks (auxclick) open links too.

const FILE = /\.(pdf|zip|gz|rar|7z|dmg|exe|msi|pkg|csv|txt|docx?|xlsx?|pptx?|key|mp[34]|mov)$/i;

function onClick(e: Event) {
  const a = (e.target as Element).closest("a");
  // mailto:, tel: and javascript: links have no host.
  const t = !a ? "" : a.host && a.host != loc.host ? "o" : a.hasAttribute("download") || FILE.test(a.pathname) ? "d" : "";
  if (t) track(t, { n: a!.href });
}

export function watchClicks() {
  on(doc, "click", onClick);
  on(doc, "auxclick", onClick);
}
