import { doc, gpc, on } from "./env";
import { track } from "./send";

// form_start on the first input into a form, form_submit on a submit event (it fires only
// after validation passed, for a click, Enter or requestSubmit()), form_abandon for forms
// started and not submitted when the page is left. Field *names* only; the one value ever
// read is the email on submit, and never from an ignored field.

type Field = HTMLInputElement;
const started: HTMLFormElement[] = [];

/** never read, not even the name: passwords, hidden and card fields, anything marked (or inside a marked element) */
const IGNORED = "[data-foothold-ignore],[type=password],[type=hidden],[autocomplete*=cc-]";

const readable = (form: HTMLFormElement) => ([...form.elements] as Field[]).filter((el) => el.name && !el.closest(IGNORED));

/** form s(tart) / f(submit) / a(bandon): the form's name and its field names. */
const formEvent = (t: "s" | "f" | "a", form: HTMLFormElement, u?: string) =>
  track(t, {
    u,
    // getAttribute, not form.id / form.name: a field named "id" or "name" would shadow those.
    n: form.getAttribute("id") || form.getAttribute("name") || form.getAttribute("action") || "",
    l: [...new Set(readable(form).map((el) => el.name))],
  });

export function watchForms() {
  on(doc, "input", (e: Event) => {
    const form = (e.target as Field).form;
    if (form && !started.includes(form)) started.push(form), formEvent("s", form);
  });
  on(doc, "submit", (e: Event) => {
    const form = e.target as HTMLFormElement;
    started.includes(form) && started.splice(started.indexOf(form), 1);
    formEvent("f", form);
    const email = !gpc && readable(form).find((el) => /email/i.test(el.type + el.name) && /.@./.test(el.value));
    if (email) track("identify", { n: email.value });
  });
}

/** The page (or SPA view) `u` is being left: every started form not submitted is abandoned. */
export const abandonForms = (u: string) => started.splice(0).map((form) => formEvent("a", form, u));
