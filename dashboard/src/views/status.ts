// Status: how full D1 is and how fast it grows, what arrived in the last day, dead letters, the
// last export and retention runs (GET /v1/status), and the retention settings, changed in place.
import type { Retention, Status } from "../../../cli/client/client";
import type { ViewContext } from "../context";
import { h, loading, replace } from "../dom";
import { count, percent, when } from "../format";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function statusView(ctx: ViewContext): HTMLElement {
  const body = h("div", {});
  async function load() {
    replace(body, loading("status"));
    try {
      const status = await ctx.client.status();
      if (ctx.isCurrent()) replace(body, statusParts(status), retentionForm(ctx, status.retention));
    } catch (err) {
      ctx.fail(err, body);
    }
  }
  void load();
  return h(
    "section",
    { class: "view", "aria-labelledby": "status-title" },
    h("header", { class: "view-head" }, h("div", {}, h("h1", { id: "status-title" }, "Status"), h("p", { class: "muted" }, "Storage, the last day's traffic and the scheduled jobs"))),
    body,
  );
}

const stat = (label: string, value: string, note: string, id: string) =>
  h("div", { class: "stat", "data-stat": id }, h("span", { class: "stat-label" }, label), h("strong", { class: "stat-value" }, value), h("span", { class: "muted" }, note));

function statusParts(s: Status): HTMLElement {
  const d1 = s.d1;
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = `${Math.min(100, d1.used * 100)}%`;
  const run = (r: Record<string, unknown> | null) => (r && typeof r.at === "string" ? when(r.at) : "never");
  return h(
    "div",
    {},
    h(
      "div",
      { class: "card coverage-period", "data-card": "d1" },
      h("span", { class: "stat-label" }, "D1 database"),
      h("strong", { class: "stat-value" }, `${mb(d1.bytes)} of 10 GB`),
      h("span", { class: "bar-track wide" }, fill),
      h(
        "p",
        { class: "muted" },
        `${percent(d1.used)} used · `,
        d1.growth_bytes_per_day === null ? "growth not measured yet (one reading a day)" : `${mb(d1.growth_bytes_per_day)} a day`,
        d1.days_until_cap === null ? "" : ` · the cap in ${count(d1.days_until_cap)} days at this rate`,
      ),
    ),
    h(
      "div",
      { class: "stats" },
      stat("Events, last 24 h", count(s.last_24h.events), `${count(s.last_24h.rejects)} refused`, "events"),
      stat("Dead letters", count(s.dead_letters.pending), `${count(s.dead_letters.replayed)} replayed`, "dead-letters"),
      stat("Last export", run(s.last_export), "Parquet in R2, hourly", "export"),
      stat("Last retention run", run(s.last_retention), "hourly", "retention-run"),
    ),
    s.upgrade.pending ? h("p", { class: "state" }, "First-version events are still being moved from D1 to R2; the hourly job finishes it.") : null,
  );
}

function retentionForm(ctx: ViewContext, current: Retention): HTMLElement {
  const field = (name: keyof Retention, label: string, hint: string) =>
    h("label", { class: "field" }, h("span", {}, label), h("input", { type: "number", name, min: name === "dedupe_days" ? "7" : "1", max: "3650", value: String(current[name]), required: true }), h("span", { class: "muted" }, hint));
  const note = h("p", { class: "muted", role: "status" });
  const form = h(
    "form",
    { class: "card", "aria-label": "Retention" },
    h("span", { class: "stat-label" }, "Retention (days)"),
    h(
      "div",
      { class: "toolbar" },
      field("dedupe_days", "Dedupe window", "a re-send inside it counts once"),
      field("raw_days", "Raw events (R2)", "by event time"),
      field("rollup_days", "Rollups (D1)", "by event time"),
      h("button", { type: "submit" }, "Save"),
    ),
    note,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const change = { dedupe_days: Number(data.get("dedupe_days")), raw_days: Number(data.get("raw_days")), rollup_days: Number(data.get("rollup_days")) };
    note.textContent = "Saving…";
    ctx.client.retention.set(change).then(
      (r) => (note.textContent = `Saved: dedupe keys ${r.dedupe_days} days, raw events ${r.raw_days} days, rollups ${r.rollup_days} days. The hourly job applies it.`),
      (err: unknown) => (note.textContent = err instanceof Error ? err.message : String(err)),
    );
  });
  return form;
}
