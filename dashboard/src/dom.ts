// A tiny element builder. Text goes in through textContent only (account names and page paths
// come from imports and visitors), so nothing from the API is ever parsed as HTML.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (name === "class") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export const loading = (what: string) => h("p", { class: "state loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Loading ${what}…`);

export const empty = (title: string, hint?: Child) => h("div", { class: "state empty" }, h("strong", {}, title), hint ? h("p", {}, hint) : null);

export const errorBox = (message: string) => h("div", { class: "state error", role: "alert" }, h("strong", {}, "Something went wrong. "), message);

export function select(label: string, name: string, options: ReadonlyArray<readonly [string, string]>, value: string, onChange: (v: string) => void): HTMLLabelElement {
  const s = h("select", { name, onchange: () => onChange(s.value) }, ...options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  return h("label", { class: "field" }, h("span", {}, label), s);
}
