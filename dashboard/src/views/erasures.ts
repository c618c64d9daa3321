// Erasures (SPEC §13): erase a person by email, user id or anonymous id, and the log of erasures
// — when, by which key, what each removed, never who. Needs an admin key; the list refreshes
// itself while an erasure runs.
import type { EraseKey, ErasureSummary } from "../../../cli/client/client";
import { FootholdError } from "../../../cli/client/client";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count, when } from "../format";

const KINDS = [["email", "Email"], ["user_id", "User id"], ["anonymous_id", "Anonymous id"]] as const;
const REFRESH_MS = 2000;

export function erasuresView(ctx: ViewContext): HTMLElement {
  const body = h("div", { class: "card table-card" }, loading("erasures"));
  const message = h("p", { class: "erase-message", role: "status" });
  let kind: (typeof KINDS)[number][0] = "email";
  const value = h("input", { type: "text", name: "erase-value", placeholder: "jane@acme.com", autocomplete: "off", required: true });
  const confirm = h("button", { type: "button", class: "danger", id: "erase-confirm", hidden: true }, "Erase now: this cannot be undone");
  const start = h("button", { type: "submit", id: "erase-start" }, "Erase…");
  let timer: ReturnType<typeof setTimeout> | null = null;

  const form = h(
    "form",
    { class: "card erase-form", "aria-label": "Erase a person" },
    h("h2", {}, "Erase a person"),
    h(
      "p",
      { class: "muted" },
      "Removes their events from every raw object and Parquet file, their sessions, identities and counts, and drops their later events. A warehouse that already loaded the files must reload the ones listed.",
    ),
    h(
      "div",
      { class: "toolbar" },
      select("By", "erase-kind", KINDS, kind, (v) => {
        kind = v as typeof kind;
        value.placeholder = v === "email" ? "jane@acme.com" : v === "user_id" ? "the userId your backend sends" : "a visitor's anonymous id";
        reset();
      }),
      h("label", { class: "field wide" }, h("span", {}, "Identifier"), value),
      start,
      confirm,
    ),
    message,
  );
  const reset = () => {
    confirm.hidden = true;
    start.hidden = false;
  };
  value.addEventListener("input", reset);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!value.value.trim()) return;
    // Two steps: nothing is erased by a stray Enter.
    start.hidden = true;
    confirm.hidden = false;
    message.textContent = `Erase everything of the person with ${kind.replace("_", " ")} ${value.value.trim()}?`;
  });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const { id } = await ctx.client.privacy.erase({ [kind]: value.value.trim() } as EraseKey);
      value.value = "";
      message.textContent = `Erasure ${id} started. It is listed below; it says done when the person is gone.`;
      reset();
      void load();
    } catch (err) {
      message.textContent = err instanceof FootholdError ? err.message : String(err);
    } finally {
      confirm.disabled = false;
    }
  });

  async function load(): Promise<void> {
    if (timer) clearTimeout(timer);
    try {
      const log = await ctx.client.privacy.erasures({ limit: 100 });
      if (!ctx.isCurrent()) return;
      replace(body, log.erasures.length ? table(log.erasures) : empty("No erasures yet.", "Erase a person above, or with `foothold erase --email …`."));
      if (log.erasures.some((e) => e.status === "running")) timer = setTimeout(() => ctx.isCurrent() && void load(), REFRESH_MS);
    } catch (err) {
      if (err instanceof FootholdError && err.status === 403) {
        replace(body, h("div", { class: "state notice", role: "note" }, "Erasures need an admin key; this one cannot see or start them. Sign in with the admin token or a key with the admin scope."));
        form.hidden = true;
        return;
      }
      ctx.fail(err, body);
    }
  }
  void load();

  return h(
    "section",
    { class: "view", "aria-labelledby": "erasures-title" },
    h("header", { class: "view-head" }, h("div", {}, h("h1", { id: "erasures-title" }, "Erasures"), h("p", { class: "muted" }, "Right to erasure: what was removed, when and by which key — never who."))),
    form,
    body,
  );
}

function table(rows: readonly ErasureSummary[]): HTMLElement {
  const th = (text: string, num = false) => h("th", { class: num ? "num" : null, scope: "col" }, text);
  const td = (text: string | number, num = false) => h("td", { class: num ? "num" : null }, typeof text === "number" ? count(text) : text);
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "erasures" },
      h("thead", {}, h("tr", {}, th("Requested"), th("By"), th("Key"), th("Status"), th("Events", true), th("Files", true), th("Visitors", true), th("People", true), th("Suppressed", true))),
      h(
        "tbody",
        {},
        ...rows.map((e) =>
          h(
            "tr",
            { "data-erasure": e.id, "data-status": e.status },
            td(when(e.requested_at)),
            td(e.by.replace("_", " ")),
            td(e.requested_by),
            h("td", {}, e.status === "done" ? h("span", { class: "badge done" }, "done") : h("span", { class: "badge running" }, `running ${e.progress.tasks_done}/${e.progress.tasks}`)),
            td(e.events + e.rejects, true),
            td(e.files.raw + e.files.parquet + e.files.dead_letters, true),
            td(e.visitors, true),
            td(e.people, true),
            td(e.suppressed, true),
          ),
        ),
      ),
    ),
  );
}
