// Alerts (SPEC §11): create a rule (its signing secret is shown once), send a test, see each
// rule's deliveries. Alert rules need an admin key; a read-only key gets a sentence saying so.
import type { Alert, AlertDelivery, AlertKindName, AlertRuleInput } from "../../../cli/client/client";
import { FootholdError } from "../../../cli/client/client";
import { ALERT_FORMATS, ALERT_KINDS } from "../../../cli/client/enums";
import type { ViewContext } from "../context";
import { empty, h, loading, replace, select } from "../dom";
import { count } from "../format";

const KIND_TEXT: Record<AlertKindName, string> = {
  page_view: "Views a page",
  form_submit: "Submits a form",
  surging: "Starts surging",
  score_above: "Score rises above",
};

export const whenText = (w: Alert["when"]): string =>
  `${KIND_TEXT[w.kind]}${w.path ? ` ${w.path}` : ""}${w.threshold !== undefined ? ` ${w.threshold}` : ""}${w.segment ? ` · ${w.segment} accounts` : " · any account"}`;

const host = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function alertsView(ctx: ViewContext): HTMLElement {
  const list = h("div", { class: "card table-card", id: "alerts-list" }, loading("alert rules"));
  const notice = h("div", { id: "alert-notice", "aria-live": "polite" });
  // Test results have their own place, so a secret just shown stays on screen.
  const tested = h("div", { id: "alert-tested", "aria-live": "polite" });
  const deliveries = h("div", { id: "alert-deliveries" });

  async function load(): Promise<void> {
    try {
      const { alerts } = await ctx.client.alerts.list();
      if (!ctx.isCurrent()) return;
      replace(list, alerts.length ? rulesTable(alerts) : empty("No alert rules yet.", "Create one above: for example, a Slack message when a target account views /pricing*."));
    } catch (err) {
      if (err instanceof FootholdError && err.status === 403) {
        replace(list, h("div", { class: "state notice", role: "note" }, "Alert rules need an admin key (they hold a receiver URL and a signing secret); this key cannot list or create them."));
        return;
      }
      ctx.fail(err, list);
    }
  }

  async function showDeliveries(rule: Alert): Promise<void> {
    replace(deliveries, h("div", { class: "card" }, loading(`deliveries of ${rule.name}`)));
    try {
      const { deliveries: rows } = await ctx.client.alerts.deliveries(rule.id, 50);
      if (!ctx.isCurrent()) return;
      replace(
        deliveries,
        h(
          "div",
          { class: "card table-card" },
          h("h2", { class: "card-title" }, `Deliveries of ${rule.name}`),
          rows.length ? deliveriesTable(rows) : empty("No deliveries yet.", "Send a test to see one."),
        ),
      );
    } catch (err) {
      ctx.fail(err, deliveries);
    }
  }

  async function test(rule: Alert, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const d = await ctx.client.alerts.test(rule.id);
      const ok = d.status === "delivered";
      replace(tested, h("div", { class: `state ${ok ? "notice" : "error"}`, role: "status", id: "alert-test-result" }, ok ? `Test delivered to ${host(rule.url)} (HTTP ${d.last_status ?? 200}).` : `Test to ${host(rule.url)} failed: ${d.last_error ?? "no answer"}.`));
      await Promise.all([load(), showDeliveries(rule)]);
    } catch (err) {
      ctx.fail(err, tested);
    } finally {
      button.disabled = false;
    }
  }

  async function remove(rule: Alert): Promise<void> {
    if (!confirm(`Delete the alert “${rule.name}” and its deliveries?`)) return;
    try {
      await ctx.client.alerts.remove(rule.id);
      replace(deliveries);
      await load();
    } catch (err) {
      ctx.fail(err, notice);
    }
  }

  function rulesTable(alerts: Alert[]): HTMLElement {
    const th = (text: string, cls = "") => h("th", { scope: "col", class: cls }, text);
    return h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { id: "alerts-table" },
        h("thead", {}, h("tr", {}, th("Alert"), th("When"), th("Receiver"), th("Delivered", "num"), th("Pending", "num"), th("Failed", "num"), th(""))),
        h(
          "tbody",
          {},
          ...alerts.map((a) => {
            const testButton = h("button", { type: "button", class: "send-test" }, "Send test");
            testButton.addEventListener("click", () => void test(a, testButton));
            return h(
              "tr",
              { "data-alert": a.id },
              h("td", {}, h("strong", {}, a.name), h("div", { class: "sub" }, a.id)),
              h("td", {}, whenText(a.when), h("div", { class: "sub" }, `cooldown ${a.cooldown_hours} h`)),
              h("td", {}, host(a.url), h("div", { class: "sub" }, a.format === "slack" ? "Slack message" : "JSON, signed")),
              h("td", { class: "num", "data-col": "delivered" }, count(a.deliveries.delivered)),
              h("td", { class: "num", "data-col": "pending" }, count(a.deliveries.pending)),
              h("td", { class: "num", "data-col": "failed" }, count(a.deliveries.failed)),
              h(
                "td",
                { class: "actions" },
                testButton,
                h("button", { type: "button", class: "show-deliveries", onclick: () => void showDeliveries(a) }, "Deliveries"),
                h("button", { type: "button", class: "ghost delete", onclick: () => void remove(a) }, "Delete"),
              ),
            );
          }),
        ),
      ),
    );
  }

  const form = ruleForm(async (input) => {
    const created = await ctx.client.alerts.create(input);
    replace(
      notice,
      h(
        "div",
        { class: "state notice", role: "status", id: "alert-secret" },
        h("strong", {}, `Created “${created.name}”. `),
        "Its signing secret is shown this once; the receiver checks X-Foothold-Signature with it (README: verifying alerts):",
        h("pre", {}, h("code", {}, created.secret)),
      ),
    );
    await load();
  }, (err) => ctx.fail(err, notice));

  void load();
  return h(
    "section",
    { class: "view", "aria-labelledby": "alerts-title" },
    h("header", { class: "view-head" }, h("div", {}, h("h1", { id: "alerts-title" }, "Alerts"), h("p", { class: "muted" }, "Tell sales the moment a target account shows intent: a signed webhook or a Slack message."))),
    form,
    notice,
    list,
    tested,
    deliveries,
  );
}

function ruleForm(create: (input: AlertRuleInput) => Promise<void>, fail: (err: unknown) => void): HTMLElement {
  const input = (name: string, attrs: Record<string, string> = {}) => h("input", { name, autocomplete: "off", ...attrs });
  const name = input("name", { required: "", placeholder: "Pricing views by targets", maxlength: "200" });
  let kind: AlertKindName = "page_view";
  const path = input("path", { placeholder: "/pricing*" });
  const threshold = input("threshold", { type: "number", min: "0", step: "any", placeholder: "50" });
  const segment = input("segment", { placeholder: "any segment", list: "alert-segments" });
  const url = input("url", { type: "url", required: "", placeholder: "https://hooks.slack.com/services/…" });
  let format: (typeof ALERT_FORMATS)[number] = "json";
  const cooldown = input("cooldown_hours", { type: "number", min: "0", max: "8760", step: "any", value: "24" });
  const pathField = h("label", { class: "field" }, h("span", {}, "Path glob"), path);
  const thresholdField = h("label", { class: "field" }, h("span", {}, "Threshold"), threshold);
  const sync = () => {
    pathField.hidden = kind !== "page_view" && kind !== "form_submit";
    thresholdField.hidden = kind !== "score_above";
  };
  const submit = h("button", { type: "submit", class: "primary compact" }, "Create alert");
  const form = h(
    "form",
    { class: "card alert-form", id: "alert-form" },
    h("h2", {}, "New alert"),
    h(
      "div",
      { class: "toolbar" },
      h("label", { class: "field" }, h("span", {}, "Name"), name),
      select("When an account's visitor…", "kind", ALERT_KINDS.map((k) => [k, KIND_TEXT[k]] as const), kind, (v) => {
        kind = v as AlertKindName;
        sync();
      }),
      pathField,
      thresholdField,
      h("label", { class: "field" }, h("span", {}, "Segment"), segment),
      h("datalist", { id: "alert-segments" }, h("option", { value: "target" }), h("option", { value: "customer" })),
    ),
    h(
      "div",
      { class: "toolbar" },
      h("label", { class: "field wide" }, h("span", {}, "Receiver URL"), url),
      select("Format", "format", ALERT_FORMATS.map((f) => [f, f === "json" ? "JSON (signed)" : "Slack webhook"] as const), format, (v) => (format = v as typeof format)),
      h("label", { class: "field" }, h("span", {}, "Cooldown (hours)"), cooldown),
      submit,
    ),
  );
  sync();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const when: AlertRuleInput["when"] = { kind };
    if (!pathField.hidden && path.value.trim()) when.path = path.value.trim();
    if (!thresholdField.hidden && threshold.value !== "") when.threshold = Number(threshold.value);
    if (segment.value.trim()) when.segment = segment.value.trim().toLowerCase();
    submit.disabled = true;
    create({ name: name.value.trim(), when, url: url.value.trim(), format, ...(cooldown.value !== "" ? { cooldown_hours: Number(cooldown.value) } : {}) })
      .then(() => form.reset())
      .then(sync)
      .catch(fail)
      .finally(() => (submit.disabled = false));
  });
  return form;
}

function deliveriesTable(rows: AlertDelivery[]): HTMLElement {
  const th = (text: string, cls = "") => h("th", { scope: "col", class: cls }, text);
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { id: "deliveries-table", class: "compact" },
      h("thead", {}, h("tr", {}, th("Created"), th("Account"), th("Status"), th("Attempts", "num"), th("Last error"), th("Delivery id"))),
      h(
        "tbody",
        {},
        ...rows.map((d) =>
          h(
            "tr",
            { "data-delivery": d.id, "data-status": d.status },
            h("td", { class: "num muted" }, d.created_at.slice(0, 19).replace("T", " ")),
            h("td", {}, d.test ? "(test)" : (d.account ?? "")),
            h("td", {}, h("span", { class: `badge status-${d.status}` }, d.status)),
            h("td", { class: "num", "data-col": "attempts" }, count(d.attempts)),
            h("td", { class: "muted" }, d.last_error ?? ""),
            h("td", { class: "muted small" }, d.id),
          ),
        ),
      ),
    ),
  );
}
