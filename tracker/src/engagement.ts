import { doc } from "./env";
import { track } from "./send";

// Engaged time: milliseconds the page was visible and focused. Sent as increments (sum them
// per page view); the scroll depth is the running maximum for the page (take the max).

let engaged = 0;
/** when the current engaged stretch began; 0 while hidden or unfocused */
let since = 0;
let depth = 0;

/** Closes the running stretch and opens a new one if the page is still in front. */
export function tick() {
  const now = Date.now();
  if (since) engaged += now - since;
  since = !doc.hidden && doc.hasFocus() ? now : 0;
}

/** Percent of the page seen so far (the collector clamps it to 100). */
export const measureScroll = () =>
  (depth = Math.max(depth, (((scrollY + innerHeight) * 100) / doc.documentElement.scrollHeight) | 0));

/** Sends the time engaged since the last report for page `u`; `leaving` starts a new page's count. */
export function reportEngagement(u: string, leaving?: boolean) {
  tick();
  measureScroll();
  if (engaged) track("e", { u, m: engaged, s: depth });
  engaged = 0;
  if (leaving) depth = 0;
}
