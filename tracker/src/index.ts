import { tick } from "./engagement";
import { watchClicks } from "./clicks";
import { local, loc, safe } from "./env";
import { watchForms } from "./forms";
import { page, watchPages } from "./pages";
import { optOut, track } from "./send";

// Boot: the foothold() command queue, then the automatic page view and the watchers.
// Contract: SPEC §2. Map of the code: tracker/ARCHITECTURE.md.

type Command = "page" | "track" | "identify" | "group" | "optout" | "optin";
type Foothold = ((command: Command, n?: unknown, p?: Record<string, unknown>) => void) & { q?: IArguments[] };
const w = window as unknown as { foothold?: Foothold };

/**
 * foothold('track', name, props) / ('identify', email | {email,userId,traits}) / ('group', id, traits)
 * all become one event { t: command, n, p }; the collector reads n and p per type.
 */
const command: Foothold = (c, n, p) =>
  c == "page" ? page() : c == "optout" || c == "optin" ? optOut(c == "optout") : track(c, { n: n as string, p });

try {
  // Nothing runs on a developer's machine or under automation unless data-local says so.
  if (local || !(/^localhost$|^127\.|^\[::1\]$|^$/.test(loc.hostname) || navigator.webdriver)) {
    const queued = w.foothold?.q || [];
    const foothold = (w.foothold = safe(command));
    // Calls made before load run first: an early optout must stop the first page view.
    for (const args of queued) foothold(...(args as unknown as Parameters<Foothold>));
    tick();
    page();
    watchPages();
    watchForms();
    watchClicks();
  }
} catch {}
