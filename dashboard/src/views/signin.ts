import { h } from "../dom";
import { signIn } from "../session";

/** The sign-in card: one password field; the key is checked against the API before it is kept. */
export function signInView(onSignedIn: () => void, notice?: string): HTMLElement {
  const input = h("input", { type: "password", name: "api-key", id: "api-key", autocomplete: "off", spellcheck: "false", placeholder: "fh_…", required: true });
  const message = h("p", { class: "signin-error", role: "alert", id: "signin-error" }, notice ?? "");
  message.hidden = !notice;
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");

  const form = h(
    "form",
    { class: "signin card", "aria-labelledby": "signin-title" },
    h("div", { class: "brand big" }, h("span", { class: "logo", "aria-hidden": "true" }), "Foothold"),
    h("h1", { id: "signin-title" }, "Sign in"),
    h("p", { class: "muted" }, "Use an API key with the read scope (or the admin token). It stays in this tab only and is sent to the collector as a bearer token."),
    h("label", { class: "field", for: "api-key" }, h("span", {}, "API key"), input),
    message,
    button,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    button.textContent = "Checking…";
    message.hidden = true;
    const problem = await signIn(input.value);
    button.disabled = false;
    button.textContent = "Sign in";
    if (problem) {
      message.textContent = problem;
      message.hidden = false;
      input.select();
      return;
    }
    onSignedIn();
  });
  queueMicrotask(() => input.focus());
  return h("main", { class: "signin-page" }, form);
}
