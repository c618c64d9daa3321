import { gpc, on } from "./env";
import { track } from "./send";

// form_start on the first input into a form, form_submit on a submit event (it fires only
// after validation passed, for a click, Enter or requestSubmit()), form_abandon for forms
// started and not submitted when the page is left. Field *names* only; the one value ever
// read is the email on submit, and never from an ignored field.

type Field = HTMLInputElement;
const started = new Set<HTMLFormElement>();

/**
 * Never read, not even the name: passwords and hidden fields (the only input types ending in
 * "d" and starting with "h"), card fields, anything marked (or inside a marked element).
 */
const IGNORED = "[data-foothold-ignore],[type$=d],[type^=h],[autocomplete*=cc-]";

const readable = (form: HTMLFormElement) => ([...form.elements] as Field[]).filter((el) => el.name && !el.closest(IGNORED));

/** form s(tart) / f(submit) / a(bandon): the form's name and its field names. */
const formEvent = (t: "s" | "f" | "a", form: HTMLFormElement, u?: string) =>
  track(
    t,
    {
      // The collector names the form by the first of id, name, action present. getAttribute,
      // not form.id / form.name: a field named "id" or "name" would shadow those.
      n: ["id", "name", "action"].map((a) => form.getAttribute(a)),
      // Radio groups repeat a name; the collector dedupes.
      l: readable(form).map((el) => el.name),
    },
    u,
  );

on("input", (e: Event) => {
  const form = (e.target as Field).form;
  if (form && !started.has(form)) started.add(form), formEvent("s", form);
});
on("submit", (e: Event) => {
  const form = e.target as HTMLFormElement;
  started.delete(form);
  formEvent("f", form);
  // An email-typed or email-named field holding something@something (the collector checks the rest).
  gpc || readable(form).map((el) => /email/i.test(el.type + el.name) && /.@/.test(el.value) && track("identify", { n: el.value }));
});

/** The page (or SPA view) `u` is being left: every started form not submitted is abandoned. */
export const abandonForms = (u: string) => {
  started.forEach((form) => formEvent("a", form, u));
  started.clear();
};
