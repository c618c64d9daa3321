import { tick } from "./engagement";
import { safe } from "./env";
import { page } from "./pages";
import { optOut, track } from "./send";
import "./forms";
import "./clicks";

// Boot. Importing env stops the snippet on localhost/webdriver (unless data-local); importing
// the watchers registers their listeners. Then the foothold() queue, then the first page view.
// Contract: SPEC §2. Map of the code: tracker/ARCHITECTURE.md.

type Command = "page" | "track" | "identify" | "group" | "optout" | "optin";
type Foothold = ((command: Command, n?: unknown, p?: Record<string, unknown>) => void) & { q?: IArguments[] };
const w = window as unknown as { foothold?: Foothold };

/**
 * foothold('track', name, props) / ('identify', email | {email,userId,traits}) / ('group', id, traits)
 * all become one event { t: command, n, p }; the collector reads n and p per type.
 */
const command: Foothold = (c, n, p) =>
  c == "page" ? page() : c == "optout" ? optOut(1) : c == "optin" ? optOut("") : track(c, { n: n as string, p });

const foothold = safe(command);
// Calls made before load run first: an early optout must stop the first page view.
for (const args of w.foothold?.q || []) foothold(...(args as unknown as Parameters<Foothold>));
w.foothold = foothold;
tick();
page();
