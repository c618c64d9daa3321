import { doc, on } from "./env";
import { track } from "./send";

// Engaged time: milliseconds the page was visible (browsers hide fully covered windows too).
// Each report carries the increments since the one before: engaged ms (sum them per page
// view) and the deepest scroll seen (take the max per page view).

let engaged = 0;
/** when the current engaged stretch began; 0 while hidden */
let since = 0;
let depth = 0;

/** Closes the running stretch and opens a new one if the page is still in front. */
export const tick = () => {
  const now = Date.now();
  if (since) engaged += now - since;
  since = doc.hidden ? 0 : now;
};

/** Percent of the page seen so far. body, not documentElement: shorter, and within a margin
 *  of it; short pages can pass 100, which the collector clamps, and it rounds the fraction. */
export const measureScroll = () => (depth = Math.max(depth, ((scrollY + innerHeight) * 100) / doc.body.scrollHeight));

/** Sends the time engaged and the scroll depth since the last report, for page `u`. */
export const reportEngagement = (u: string) => {
  tick();
  measureScroll();
  if (engaged) track("e", { m: engaged, s: depth }, u);
  engaged = depth = 0;
};

on("scroll", measureScroll);
