import { loc, on } from "./env";
import { track } from "./send";

// Outbound links (another host) and file downloads. The snippet reports a click on a link to
// another host or to a path with a file extension; the collector decides which it is (its
// extension list, as Plausible's, lives there: bytes no visitor downloads, and it can change
// without a new snippet), and ignores a same-site page such as /about.html. Middle clicks
// (auxclick) open links too.

const onClick = (e: Event) => {
  const a = (e.target as Element).closest("a");
  // mailto:, tel: and javascript: links have no host: neither outbound nor a download.
  a && a.host && (a.host != loc.host || /\.\w+$/.test(a.pathname)) && track("d", { n: a.href });
};

on("click", onClick);
on("auxclick", onClick);
