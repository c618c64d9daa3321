import type { Site } from "../storage/sites";
import { ApiError } from "./errors";

/**
 * Browsers send Origin; a page may send only when its host is one of the site's domains or a
 * subdomain of one (any port). Server-side SDKs send no Origin and are trusted by write key.
 */
export function checkOrigin(site: Site, origin: string | undefined): void {
  if (!origin || origin === "null") return;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    throw forbidden(origin);
  }
  const ok = site.domains.some((d) => host === d || host.endsWith(`.${d}`));
  if (!ok) throw forbidden(origin);
}

const forbidden = (origin: string) =>
  new ApiError(403, "origin_not_allowed", `Origin ${origin.slice(0, 200)} is not one of this site's domains.`);
