import { loc, on } from "./env";
import { track } from "./send";

// Outbound links (another host) and file downloads (by the file's extension, as Plausible does).
// Middle clicks (auxclick) open links too.

const FILE = /\.(pdf|zip|dmg|exe|msi|csv|docx?|xlsx?|pptx?|mp4)$/i;

const onClick = (e: Event) => {
  const a = (e.target as Element).closest("a");
  // mailto:, tel: and javascript: links have no host: neither outbound nor a download.
  const t = a && (a.host != loc.host ? a.host && "o" : FILE.test(a.pathname) && "d");
  if (t) track(t as "o" | "d", { n: a!.href });
};

on("click", onClick);
on("auxclick", onClick);
